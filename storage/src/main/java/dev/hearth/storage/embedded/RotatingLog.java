package dev.hearth.storage.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Copies the child's output into a log file that never grows past a size: at {@link #MAX_BYTES} the
 * file becomes {@code <log>.1} (the older ones {@code .2} … {@code .}{@link #KEEP}, the oldest
 * dropped) and a new one starts. A new child rotates too, so the previous run's output is {@code
 * .1}. The copying never stops while the child writes: a failing disk loses lines, never blocks the
 * engine on a full pipe.
 */
final class RotatingLog {
  static final long MAX_BYTES = 10L << 20;
  static final int KEEP = 3;

  private final Path log;
  private final long maxBytes;
  private OutputStream out;
  private long written;

  private RotatingLog(Path log, long maxBytes) throws IOException {
    this.log = log;
    this.maxBytes = maxBytes;
    this.out = open();
  }

  /** Rotates {@code log}, writes {@code header} into the new file and returns the writer. */
  static RotatingLog start(Path log, String header, long maxBytes) throws IOException {
    rotate(log);
    RotatingLog r = new RotatingLog(log, maxBytes);
    r.write(header.getBytes(java.nio.charset.StandardCharsets.UTF_8), header.length());
    return r;
  }

  /**
   * Copies {@code in} into the log on a daemon thread until {@code in} ends; returns the thread.
   */
  Thread pump(InputStream in, String threadName) {
    return Thread.ofPlatform()
        .daemon()
        .name(threadName)
        .start(
            () -> {
              byte[] buffer = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  write(buffer, n);
                }
              } catch (IOException e) {
                // The child is gone.
              } finally {
                closeQuietly();
              }
            });
  }

  private void write(byte[] bytes, int n) {
    try {
      if (written + n > maxBytes && written > 0) {
        out.close();
        rotate(log);
        out = open();
      }
      out.write(bytes, 0, n);
      out.flush();
      written += n;
    } catch (IOException e) {
      // Keep reading so the child never blocks; the next write tries again.
    }
  }

  private OutputStream open() throws IOException {
    written = 0;
    if (!Files.exists(log)) {
      Files.createFile(
          log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.newOutputStream(log, StandardOpenOption.APPEND);
  }

  private static void rotate(Path log) throws IOException {
    Files.deleteIfExists(sibling(log, KEEP));
    for (int i = KEEP - 1; i >= 1; i--) {
      if (Files.exists(sibling(log, i))) {
        Files.move(sibling(log, i), sibling(log, i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (Files.exists(log)) {
      Files.move(log, sibling(log, 1), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static Path sibling(Path log, int n) {
    return log.resolveSibling(log.getFileName() + "." + n);
  }

  private void closeQuietly() {
    try {
      out.close();
    } catch (IOException e) {
      // Nothing left to lose.
    }
  }
}
