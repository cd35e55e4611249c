package dev.hearth.symbols;

import dev.hearth.model.Function;
import dev.hearth.model.Line;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One long-running {@code llvm-symbolizer} process, fed {@code "file" 0xaddress} lines on stdin and
 * read back one JSON object per line ({@code --output-style=JSON}). It reads {@code .symtab},
 * {@code .dynsym} and DWARF (line tables, inlined subroutines, compressed sections, DWARF 5),
 * demangles, and keeps recently used files open, which is why it is used rather than an ELF/DWARF
 * reader of our own. A process that dies or stalls past the timeout is killed and started again on
 * the next call; calls are serialised.
 */
public final class LlvmSymbolizer implements AutoCloseable {
  /** Lines written before their answers are read: well under a pipe buffer's 64 KiB. */
  private static final int CHUNK = 128;

  private final String command;
  private final Duration timeout;
  private final JsonMapper json = JsonMapper.builder().build();
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "llvm-symbolizer-watchdog");
            t.setDaemon(true);
            return t;
          });
  private @Nullable Process process;
  private @Nullable BufferedWriter in;
  private @Nullable BufferedReader out;

  /**
   * @param command the executable (a path, or a name looked up on {@code PATH})
   * @param timeout longest one chunk of addresses may take before the process is killed
   */
  public LlvmSymbolizer(String command, Duration timeout) {
    this.command = command;
    this.timeout = timeout;
  }

  /**
   * The {@code llvm-symbolizer} to run: {@code configured} when it names an executable, else the
   * newest versioned one Debian installs ({@code /usr/bin/llvm-symbolizer-NN}); null when none.
   */
  public static @Nullable String locate(String configured) {
    if (configured.contains("/")) {
      return Files.isExecutable(Path.of(configured)) ? configured : null;
    }
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin" : path).split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, configured))) {
        return Path.of(dir, configured).toString();
      }
    }
    for (int v = 30; v >= 11; v--) {
      Path p = Path.of("/usr/bin/llvm-symbolizer-" + v);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  /** What the symboliser said about one file. */
  public record Result(List<List<Line>> frames, @Nullable String fileError) {}

  /**
   * Frames of each address of {@code file}, innermost (inlined) first; an empty list where the file
   * has no symbol. {@link Result#fileError()} is set when llvm-symbolizer could not read the file
   * (not an object file, truncated DWARF, …).
   *
   * @throws IOException when the process cannot be started, dies, or stalls past the timeout
   */
  public synchronized Result symbolize(Path file, long[] addresses) throws IOException {
    String path = file.toAbsolutePath().toString();
    if (path.indexOf('"') >= 0 || path.indexOf('\n') >= 0) {
      throw new IOException("cannot pass a path with quotes or newlines: " + path);
    }
    List<List<Line>> frames = new ArrayList<>(addresses.length);
    String fileError = null;
    for (int start = 0; start < addresses.length; start += CHUNK) {
      int end = Math.min(addresses.length, start + CHUNK);
      ensureStarted();
      BufferedWriter w = in;
      BufferedReader r = out;
      Process p = process;
      if (w == null || r == null || p == null) {
        throw new IOException("llvm-symbolizer did not start");
      }
      ScheduledFuture<?> kill =
          watchdog.schedule(p::destroyForcibly, timeout.toMillis(), TimeUnit.MILLISECONDS);
      try {
        for (int i = start; i < end; i++) {
          w.write('"');
          w.write(path);
          w.write("\" 0x");
          w.write(Long.toHexString(addresses[i]));
          w.write('\n');
        }
        w.flush();
        for (int i = start; i < end; i++) {
          String line = r.readLine();
          if (line == null) {
            throw new IOException("llvm-symbolizer exited (or was killed after " + timeout + ")");
          }
          JsonNode node = json.readTree(line);
          JsonNode error = node.get("Error");
          if (error != null) {
            fileError = error.path("Message").asString("unreadable");
            frames.add(List.of());
          } else {
            frames.add(lines(node.path("Symbol")));
          }
        }
      } catch (IOException | RuntimeException e) {
        stop();
        throw e instanceof IOException io ? io : new IOException("llvm-symbolizer: " + e, e);
      } finally {
        kill.cancel(false);
      }
    }
    return new Result(frames, fileError);
  }

  private static List<Line> lines(JsonNode symbols) {
    List<Line> out = new ArrayList<>(symbols.size());
    for (JsonNode s : symbols) {
      String name = s.path("FunctionName").asString("");
      if (name.isEmpty() || name.equals("??")) {
        continue;
      }
      String file = s.path("FileName").asString("");
      String startFile = s.path("StartFileName").asString("");
      Function f =
          Function.of(
              name, "", startFile.isEmpty() ? file : startFile, s.path("StartLine").asLong(0));
      out.add(new Line(f, s.path("Line").asLong(0), s.path("Column").asLong(0)));
    }
    return List.copyOf(out);
  }

  private void ensureStarted() throws IOException {
    Process p = process;
    if (p != null && p.isAlive()) {
      return;
    }
    stop();
    p =
        new ProcessBuilder(
                command, "--output-style=JSON", "--inlines", "--demangle", "--functions=linkage")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    process = p;
    in = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
    out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  private void stop() {
    Process p = process;
    process = null;
    in = null;
    out = null;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  @Override
  public synchronized void close() {
    stop();
    watchdog.shutdownNow();
  }
}
