package dev.hearth.storage.clickhouse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code RowBinaryWithNamesAndTypes} response straight from its stream into primitives: the
 * header (column names and types) first, which the caller checks with {@link #expect}, then the
 * rows, column by column, until {@link #atEnd}. Large results (a merge of 50,000 stacks, each with
 * two id arrays) are read this way rather than as one record object per row, which costs more than
 * the query itself.
 */
final class RowBinaryReader {
  /** Longest array or string a response may hold, so a corrupt length fails instead of OOM. */
  private static final int MAX_LENGTH = 1 << 24;

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private final List<String> names = new ArrayList<>();
  private final List<String> types = new ArrayList<>();

  RowBinaryReader(InputStream in) throws IOException {
    this.in = in;
    if (atEnd()) {
      return; // no header: the server sends nothing for an empty result in some versions
    }
    int columns = length();
    for (int i = 0; i < columns; i++) {
      names.add(string());
    }
    for (int i = 0; i < columns; i++) {
      types.add(string());
    }
  }

  /**
   * Checks the header against the columns a caller reads, as {@code name Type} pairs: a response of
   * another shape fails here, naming the difference, rather than being misread.
   */
  void expect(List<String> columns) {
    if (names.isEmpty()) {
      return;
    }
    List<String> got = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      got.add(names.get(i) + " " + types.get(i));
    }
    if (!got.equals(columns)) {
      throw new IllegalStateException(
          "unexpected result columns: expected " + columns + ", got " + got);
    }
  }

  /** Whether the stream has no more bytes (the rows are over). */
  boolean atEnd() throws IOException {
    return pos == limit && !fill();
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    while (n == 0) {
      n = in.read(buf, 0, buf.length);
    }
    if (n < 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  private void need(int n) throws IOException {
    if (limit - pos >= n) {
      return;
    }
    int left = limit - pos;
    System.arraycopy(buf, pos, buf, 0, left);
    pos = 0;
    limit = left;
    while (limit < n) {
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) {
        throw new EOFException("RowBinary response ended inside a value");
      }
      limit += r;
    }
  }

  /** An {@code Int64} or {@code UInt64} (as its bits). */
  long int64() throws IOException {
    need(8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xFFL);
    }
    pos += 8;
    return v;
  }

  /** A {@code UInt8} or {@code Bool}. */
  int uint8() throws IOException {
    need(1);
    return buf[pos++] & 0xFF;
  }

  /** An unsigned LEB128 length (of an array or string). */
  int length() throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      byte b = buf[pos++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        if (v > MAX_LENGTH) {
          throw new IOException("RowBinary length " + v + " is beyond " + MAX_LENGTH);
        }
        return (int) v;
      }
    }
    throw new IOException("RowBinary length longer than 64 bits");
  }

  /** An {@code Array(Int64)}. */
  long[] int64Array() throws IOException {
    int n = length();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = int64();
    }
    return out;
  }

  /** A {@code String} as UTF-8. */
  String string() throws IOException {
    int n = length();
    if (n <= buf.length) {
      need(n);
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }
    byte[] bytes = new byte[n];
    int at = Math.min(n, limit - pos);
    System.arraycopy(buf, pos, bytes, 0, at);
    pos += at;
    while (at < n) {
      int r = in.read(bytes, at, n - at);
      if (r < 0) {
        throw new EOFException("RowBinary response ended inside a string");
      }
      at += r;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
