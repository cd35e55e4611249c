package dev.hearth.model.codec.jfr;

import dev.hearth.model.codec.ProfileDecodeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the chunk headers of a JFR file: whether it is one, and the time it covers. {@code
 * RecordingFile} exposes neither.
 *
 * <p>A JFR file is a sequence of chunks, each starting with a big-endian header: magic {@code
 * FLR\0} (4 bytes), major and minor version (2 bytes each), chunk size, constant-pool offset,
 * metadata offset, start time in Unix nanoseconds and duration in nanoseconds (8 bytes each), then
 * fields this reader does not need. A chunk still being written has a size or duration of 0.
 */
final class ChunkHeaders {
  private ChunkHeaders() {}

  private static final int MAGIC = 0x464c5200; // "FLR\0"
  private static final int HEADER_BYTES = 48;

  /**
   * The span the chunks cover.
   *
   * @param startNanos start of the first chunk, Unix nanoseconds, or 0 when unknown
   * @param endNanos end of the last finished chunk, or 0 when unknown
   */
  record Span(long startNanos, long endNanos) {}

  /** Whether {@code data} starts with the JFR magic. */
  static boolean hasMagic(byte[] data) {
    return data.length >= 4 && ByteBuffer.wrap(data, 0, 4).getInt() == MAGIC;
  }

  /**
   * Reads the chunk headers of {@code file}. Stops quietly at the first header that is not
   * consistent: the JDK's parser then reports what is wrong with the rest.
   *
   * @throws ProfileDecodeException when the file does not start with a JFR chunk
   */
  static Span read(Path file) throws IOException, ProfileDecodeException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
      if (readAt(ch, header, 0) < 4 || header.getInt(0) != MAGIC) {
        throw new ProfileDecodeException(
            "not a JFR recording: the data does not start with the 'FLR' chunk magic");
      }
      long start = 0;
      long end = 0;
      long pos = 0;
      while (readAt(ch, header, pos) == HEADER_BYTES && header.getInt(0) == MAGIC) {
        long chunkSize = header.getLong(8);
        long chunkStart = header.getLong(32);
        long chunkDuration = header.getLong(40);
        if (pos == 0) {
          start = Math.max(chunkStart, 0);
        }
        if (chunkStart > 0 && chunkDuration > 0 && chunkDuration < Long.MAX_VALUE - chunkStart) {
          end = Math.max(end, chunkStart + chunkDuration);
        }
        if (chunkSize < HEADER_BYTES || chunkSize > size - pos) {
          break;
        }
        pos += chunkSize;
      }
      return new Span(start, end);
    }
  }

  /** Fills {@code buffer} from {@code pos} as far as the file allows; returns the bytes read. */
  private static int readAt(FileChannel ch, ByteBuffer buffer, long pos) throws IOException {
    buffer.clear();
    while (buffer.hasRemaining()) {
      if (ch.read(buffer, pos + buffer.position()) <= 0) {
        break;
      }
    }
    return buffer.position();
  }
}
