package dev.hearth.storage.embedded;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads one regular file out of a gzip-compressed ustar archive, as {@code npm pack} writes them.
 *
 * <p>Deliberately minimal: no PAX or GNU long names, no links. The only archive it reads is pinned
 * by its SHA-512, so its layout is known.
 */
final class TarGz {
  private static final int BLOCK = 512;

  private TarGz() {}

  /**
   * Copies the regular file {@code entryName} (e.g. {@code package/libchdb.so}) of {@code archive}
   * to {@code target}, replacing it.
   *
   * @return false if the archive holds no such file, in which case {@code target} is untouched
   */
  static boolean extract(Path archive, String entryName, Path target) throws IOException {
    try (InputStream in =
        new BufferedInputStream(
            new GZIPInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
      byte[] header = new byte[BLOCK];
      while (in.readNBytes(header, 0, BLOCK) == BLOCK && !isZero(header)) {
        long size = octal(header, 124, 12);
        byte type = header[156];
        boolean regularFile = type == '0' || type == 0;
        if (regularFile && name(header).equals(entryName)) {
          try (OutputStream out = Files.newOutputStream(target)) {
            copy(in, out, size);
          }
          return true;
        }
        in.skipNBytes(roundUp(size));
      }
    }
    return false;
  }

  private static String name(byte[] header) {
    String name = string(header, 0, 100);
    boolean ustar = string(header, 257, 5).equals("ustar");
    String prefix = ustar ? string(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("tar entry truncated: " + left + " of " + size + " bytes missing");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static long roundUp(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static String string(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }

  private static long octal(byte[] header, int offset, int length) throws IOException {
    String digits = string(header, offset, length).trim();
    try {
      return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar header: size field is '" + digits + "'", e);
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
