package dev.hearth.agent.symbol;

import dev.hearth.agent.elf.ElfFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Sends the server debug info it lacks, so that frames sent as build id + address get names there:
 * for every object with a GNU build id the agent meets, the best ELF file on this host that can
 * name its addresses — the separate debug file {@link ObjectFiles} found, else the object itself
 * when it has {@code .symtab} or DWARF, else {@code .build-id/xx/rest.debug} under the extra
 * directories given — goes to {@code PUT <server>/api/v1/symbols/<buildId>}, after a {@code GET}
 * says the server has none. Once per build id, on one background thread, bounded in queue, size and
 * rate; it never blocks sampling and a failure only costs that build id's upload.
 *
 * <p>Enabled by the environment: {@code HEARTH_SYMBOLS_URL} (the server's HTTP base, e.g. {@code
 * http://hearth:4040}) and optionally {@code HEARTH_SYMBOLS_DIRS} (colon-separated directories
 * holding {@code .build-id} trees, e.g. a build's output). Stripped binaries whose debug files are
 * on neither side still get names when the server has a debuginfod that knows them: the agent
 * always sends the build id.
 */
public final class DebugInfoUploader implements AutoCloseable {
  private static final long MAX_BYTES = 512L << 20;
  private static final Duration PAUSE = Duration.ofMillis(500);

  private record Offer(String buildId, Path object, @Nullable Path debug) {}

  private final URI base;
  private final String token;
  private final List<Path> dirs;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<Offer> queue = new ArrayBlockingQueue<>(256);
  private final AtomicLong uploaded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread worker;

  /**
   * @param base the server's HTTP base URL
   * @param token bearer token, or empty
   * @param dirs extra directories with {@code .build-id} trees
   */
  public DebugInfoUploader(URI base, String token, List<Path> dirs) {
    this.base = URI.create(base.toString().replaceAll("/+$", ""));
    this.token = token;
    this.dirs = List.copyOf(dirs);
    this.worker = new Thread(this::run, "hearth-symbol-upload");
    worker.setDaemon(true);
    worker.start();
  }

  /** The uploader the environment asks for, or null when {@code HEARTH_SYMBOLS_URL} is unset. */
  public static @Nullable DebugInfoUploader fromEnvironment(Map<String, String> env, String token) {
    String url = env.getOrDefault("HEARTH_SYMBOLS_URL", "").strip();
    if (url.isEmpty()) {
      return null;
    }
    List<Path> dirs = new ArrayList<>();
    for (String d : env.getOrDefault("HEARTH_SYMBOLS_DIRS", "").split(":")) {
      if (!d.isBlank()) {
        dirs.add(Path.of(d.strip()));
      }
    }
    return new DebugInfoUploader(URI.create(url), token, dirs);
  }

  /**
   * An object the agent loaded; {@code debug} is its separate debug file, if one was found. Cheap:
   * the work happens on the uploader's thread.
   */
  public void offer(String buildId, Path object, @Nullable Path debug) {
    if (!buildId.isEmpty()
        && seen.add(buildId)
        && !queue.offer(new Offer(buildId, object, debug))) {
      seen.remove(buildId); // queue full: try again when the object is met next
    }
  }

  /** Debug files the server accepted. */
  public long uploaded() {
    return uploaded.get();
  }

  /** Uploads that failed (server unreachable, refused the file). */
  public long failed() {
    return failed.get();
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Offer o = queue.take();
        upload(o);
        Thread.sleep(PAUSE);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        failed.incrementAndGet();
      }
    }
  }

  private void upload(Offer o) throws IOException, InterruptedException {
    Path file = best(o);
    if (file == null) {
      return;
    }
    URI uri = base.resolve("/api/v1/symbols/" + o.buildId());
    HttpResponse<Void> known =
        http.send(request(uri).GET().build(), HttpResponse.BodyHandlers.discarding());
    if (known.statusCode() == 200) {
      return;
    }
    if (known.statusCode() != 404) {
      throw new IOException(uri + " answered " + known.statusCode());
    }
    HttpResponse<String> put =
        http.send(
            request(uri)
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() / 100 != 2) {
      throw new IOException(uri + " refused " + file + ": " + put.statusCode() + " " + put.body());
    }
    uploaded.incrementAndGet();
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    return token.isEmpty() ? b : b.header("Authorization", "Bearer " + token);
  }

  /** The file that names the most, or null when this host has nothing that can. */
  private @Nullable Path best(Offer o) {
    List<Path> candidates = new ArrayList<>();
    if (o.debug() != null) {
      candidates.add(o.debug());
    }
    for (Path d : dirs) {
      candidates.add(
          d.resolve(
              ".build-id/"
                  + o.buildId().substring(0, 2)
                  + "/"
                  + o.buildId().substring(2)
                  + ".debug"));
    }
    candidates.add(o.object());
    for (Path c : candidates) {
      try {
        if (!Files.isRegularFile(c) || Files.size(c) > MAX_BYTES) {
          continue;
        }
        ElfFile elf = ElfFile.open(c);
        boolean names =
            elf.sectionData(".symtab") != null || elf.sectionData(".debug_info") != null;
        if (names && (elf.buildId().isEmpty() || elf.buildId().equals(o.buildId()))) {
          return c;
        }
      } catch (IOException | RuntimeException e) {
        // unreadable or not ELF: the next candidate
      }
    }
    return null;
  }

  @Override
  public void close() {
    worker.interrupt();
    try {
      worker.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
