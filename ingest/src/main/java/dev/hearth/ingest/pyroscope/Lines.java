package dev.hearth.ingest.pyroscope;

import dev.hearth.ingest.IngestException;
import dev.hearth.model.codec.Gzip;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Pyroscope's {@code format=lines}: one stack per line ({@code a;b;c}), each line one sample.
 * Turned into folded text ({@code a;b;c 1}) for the folded decoder; a gzip body is refused
 * (Pyroscope's clients never compress this format).
 */
final class Lines {
  private Lines() {}

  static byte[] toFolded(byte[] body) {
    if (Gzip.isGzip(body)) {
      throw IngestException.unsupported("format=lines takes a plain-text body, not gzip");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + body.length / 8);
    for (String line : text.split("\n", -1)) {
      String stack = line.strip();
      if (!stack.isEmpty()) {
        out.writeBytes((stack + " 1\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }
}
