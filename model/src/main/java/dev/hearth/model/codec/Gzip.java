package dev.hearth.model.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data), 8192)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(data.length * 4, 1 << 20));
      byte[] buf = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw ProfileDecodeException.tooLarge(
              "gzip payload decompresses to more than " + maxBytes + " bytes (the limit)");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new ProfileDecodeException("gzip payload is corrupt: " + e.getMessage(), e);
    }
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
