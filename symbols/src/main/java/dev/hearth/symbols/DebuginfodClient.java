package dev.hearth.symbols;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Debug files from debuginfod servers ({@code GET <url>/buildid/<id>/debuginfo}), asked in the
 * order given, as {@code DEBUGINFOD_URLS} lists them. A download is checked (ELF, the requested
 * build id) and kept under {@code cacheDir/.build-id/xx/rest.debug}, so each build id is fetched
 * once per server and survives restarts.
 */
public final class DebuginfodClient implements DebugFileSource {
  private final List<URI> servers;
  private final Path cacheDir;
  private final Duration timeout;
  private final long maxSize;
  private final HttpClient http;

  /**
   * @param urls server base URLs separated by spaces, as in {@code DEBUGINFOD_URLS}
   * @param cacheDir where downloads are kept
   * @param timeout longest one request (connect and whole download) may take
   * @param maxSize largest download accepted, in bytes
   */
  public DebuginfodClient(String urls, Path cacheDir, Duration timeout, long maxSize) {
    this.servers = parse(urls);
    this.cacheDir = cacheDir;
    this.timeout = timeout;
    this.maxSize = maxSize;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The base URLs in {@code urls} (space-separated), each checked to be http(s). */
  public static List<URI> parse(String urls) {
    List<URI> out = new ArrayList<>();
    for (String u : urls.trim().split("\\s+")) {
      if (u.isEmpty()) {
        continue;
      }
      URI uri = URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException("'" + u + "' is not an http(s) URL");
      }
      out.add(uri);
    }
    return List.copyOf(out);
  }

  public boolean isEmpty() {
    return servers.isEmpty();
  }

  @Override
  public String name() {
    return "debuginfod";
  }

  @Override
  public boolean isLocal() {
    return false;
  }

  /** The cached download of {@code buildId}, without asking any server. */
  @Nullable DebugFile cached(String buildId) throws IOException {
    Path p = cacheDir.resolve(BuildIds.debugPath(buildId));
    return Files.isRegularFile(p)
        ? new DebugFile(p, name(), Files.getLastModifiedTime(p).toMillis())
        : null;
  }

  @Override
  public @Nullable DebugFile find(String tenant, String buildId) throws IOException {
    DebugFile cached = cached(buildId);
    if (cached != null) {
      return cached;
    }
    IOException failure = null;
    for (URI server : servers) {
      try {
        DebugFile f = download(server, buildId);
        if (f != null) {
          return f;
        }
      } catch (IOException e) {
        failure = e; // try the next server; report only when none has it
      }
    }
    if (failure != null) {
      throw failure;
    }
    return null;
  }

  private @Nullable DebugFile download(URI server, String buildId) throws IOException {
    URI uri = URI.create(server + "/buildid/" + buildId + "/debuginfo");
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + uri, e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() == 404) {
        return null;
      }
      if (response.statusCode() != 200) {
        throw new IOException(uri + " answered " + response.statusCode());
      }
      Path target = cacheDir.resolve(BuildIds.debugPath(buildId));
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".download-", ".tmp");
      try {
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (var out = Files.newOutputStream(tmp)) {
          int n;
          while ((n = body.read(buf)) > 0) {
            total += n;
            if (total > maxSize) {
              throw new IOException(uri + " sent more than " + maxSize + " bytes");
            }
            out.write(buf, 0, n);
          }
        }
        ElfFileInfo info = ElfFileInfo.read(tmp);
        if (!info.buildId().isEmpty() && !info.buildId().equals(buildId)) {
          throw new CorruptDebugFileException(uri + " sent a file with build id " + info.buildId());
        }
        try {
          Files.move(
              tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return new DebugFile(target, name(), Files.getLastModifiedTime(target).toMillis());
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
