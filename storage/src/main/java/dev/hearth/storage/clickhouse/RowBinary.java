package dev.hearth.storage.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * ClickHouse's RowBinary encoding for the column types Hearth writes: little-endian integers,
 * LEB128-prefixed strings, arrays and maps. Buffers internally; call {@link #flush()} at the end.
 */
final class RowBinary {
  private final OutputStream out;
  private final byte[] buf = new byte[1 << 16];
  private int pos;

  RowBinary(OutputStream out) {
    this.out = out;
  }

  private void ensure(int n) throws IOException {
    if (pos + n > buf.length) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  RowBinary int64(long v) throws IOException {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  RowBinary uint32(long v) throws IOException {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  /** A {@code Date}: days since 1970-01-01 as UInt16. */
  RowBinary date(int epochDay) throws IOException {
    ensure(2);
    buf[pos++] = (byte) epochDay;
    buf[pos++] = (byte) (epochDay >>> 8);
    return this;
  }

  RowBinary varint(long v) throws IOException {
    ensure(10);
    long x = v;
    while ((x & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((x & 0x7F) | 0x80);
      x >>>= 7;
    }
    buf[pos++] = (byte) x;
    return this;
  }

  RowBinary string(String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(b.length);
    if (b.length > buf.length - pos) {
      out.write(buf, 0, pos);
      pos = 0;
      if (b.length > buf.length) {
        out.write(b);
        return this;
      }
    }
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
    return this;
  }

  RowBinary int64Array(long[] values) throws IOException {
    varint(values.length);
    for (long v : values) {
      int64(v);
    }
    return this;
  }

  RowBinary stringMap(Map<String, String> map) throws IOException {
    varint(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      string(e.getKey());
      string(e.getValue());
    }
    return this;
  }

  void flush() throws IOException {
    out.write(buf, 0, pos);
    pos = 0;
    out.flush();
  }
}
