package dev.hearth.model.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Gzip sniffing and bounded decompression, so a gzip bomb costs at most the limit. */
public final class Gzip {
  private Gzip() {}

  /** Whether {@code data} starts with the gzip magic bytes {@code 1f 8b}. */
  public static boolean isGzip(byte[] data) {
    return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
  }

  /**
   * Returns {@code data} decompressed if it is gzip, else as it is.
   *
   * @param maxBytes the largest decompressed size accepted
   * @throws ProfileDecodeException when the stream is corrupt, or {@link
   *     ProfileDecodeException#tooLarge()} once more than {@code maxBytes} would come out
   */
  public static byte[] maybeGunzip(byte[] data, long maxBytes) throws ProfileDecodeException {
    if (!isGzip(data)) {
      if (data.length > maxBytes) {
        throw ProfileDecodeException.tooLarge(
            "payload is " + data.length + " bytes; the limit is " + maxBytes);
      }
      return data;
    }
    // The trailer's ISIZE is the size of the last member mod 2^32: for the usual single member, the
    // exact size, so the output is allocated once and not copied. A wrong hint only costs growth.
    int n = data.length;
    long hint =
        n < 18
            ? 0
            : (data[n - 4] & 0xffL)
                | (data[n - 3] & 0xffL) << 8
                | (data[n - 2] & 0xffL) << 16
                | (data[n - 1] & 0xffL) << 24;
    // A hint is trusted up to 32 times the compressed size, so a lying trailer cannot make a tiny
    // payload allocate the limit.
    long trusted = Math.min(hint, Math.max(data.length * 32L, 1 << 16));
    int capacity =
        (int) Math.min(Math.max(trusted, 64), Math.min(maxBytes + 1, Integer.MAX_VALUE - 16));
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data), 8192)) {
      byte[] out = new byte[capacity];
      long total = 0;
      while (true) {
        if (total == out.length) {
          int more = in.read();
          if (more < 0) {
            break;
          }
          if (total + 1 > maxBytes) {
            throw tooLarge(maxBytes);
          }
          long grown = Math.min(Math.max(out.length * 2L, 1024), Integer.MAX_VALUE - 16);
          out = Arrays.copyOf(out, (int) Math.min(grown, maxBytes + 1));
          out[(int) total++] = (byte) more;
          continue;
        }
        int r = in.read(out, (int) total, out.length - (int) total);
        if (r < 0) {
          break;
        }
        total += r;
        if (total > maxBytes) {
          throw tooLarge(maxBytes);
        }
      }
      return total == out.length ? out : Arrays.copyOf(out, (int) total);
    } catch (IOException e) {
      throw new ProfileDecodeException("gzip payload is corrupt: " + e.getMessage(), e);
    }
  }

  private static ProfileDecodeException tooLarge(long maxBytes) {
    return ProfileDecodeException.tooLarge(
        "gzip payload decompresses to more than " + maxBytes + " bytes (the limit)");
  }

  /** Gzip-compresses {@code data}. */
  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
