package dev.hearth.storage.embedded;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The end of a log file, for error messages. */
final class LogTail {
  private static final int MAX_BYTES = 4096;

  private LogTail() {}

  /** Returns "output of FILE ends with:\n..." or says that the file is empty or unreadable. */
  static String of(Path log) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      if (length == 0) {
        return log + " is empty";
      }
      int n = (int) Math.min(length, MAX_BYTES);
      byte[] tail = new byte[n];
      file.seek(length - n);
      file.readFully(tail);
      String text = new String(tail, StandardCharsets.UTF_8).strip();
      return (n < length ? "output in " + log + " ends with:\n..." : "output in " + log + ":\n")
          + text;
    } catch (IOException e) {
      return "cannot read " + log + ": " + e.getMessage();
    }
  }
}
