package dev.hearth.agent.python;

/**
 * CPython's three line-number table formats: the 3.11+ location table ({@code co_linetable}, {@code
 * Objects/locations.md}), 3.10's {@code co_linetable} and 3.9's {@code co_lnotab}. Each maps an
 * instruction to its source line; a table that ends early gives the last line seen.
 */
final class LineTables {
  private LineTables() {}

  /** 3.11+: the line of code unit {@code unit}. */
  static long locations(byte[] t, long firstLine, long unit) {
    long line = firstLine;
    long at = 0;
    int i = 0;
    while (i < t.length) {
      int b = t[i++] & 0xff;
      if ((b & 0x80) == 0) {
        break; // not an entry start: a torn read
      }
      int code = (b >> 3) & 15;
      int length = (b & 7) + 1;
      long delta = 0;
      boolean hasLine = true;
      int[] pos = {i};
      switch (code) {
        case 15 -> hasLine = false;
        case 14 -> {
          delta = svarint(t, pos);
          varint(t, pos);
          varint(t, pos);
          varint(t, pos);
        }
        case 13 -> delta = svarint(t, pos);
        case 10, 11, 12 -> {
          delta = code - 10;
          pos[0] += 2;
        }
        default -> pos[0] += 1;
      }
      i = pos[0];
      line += delta;
      if (unit < at + length) {
        return hasLine ? line : firstLine;
      }
      at += length;
    }
    return line;
  }

  private static long varint(byte[] t, int[] pos) {
    long v = 0;
    int shift = 0;
    while (pos[0] < t.length) {
      int b = t[pos[0]++] & 0xff;
      v |= (long) (b & 63) << shift;
      shift += 6;
      if ((b & 64) == 0) {
        break;
      }
    }
    return v;
  }

  private static long svarint(byte[] t, int[] pos) {
    long v = varint(t, pos);
    return (v & 1) != 0 ? -(v >> 1) : v >> 1;
  }

  /** 3.10: the line of the instruction at byte offset {@code offset}. */
  static long linetable310(byte[] t, long firstLine, long offset) {
    long line = firstLine;
    long end = 0;
    for (int i = 0; i + 1 < t.length; i += 2) {
      int sdelta = t[i] & 0xff;
      int ldelta = t[i + 1];
      long start = end;
      end = start + sdelta;
      if (ldelta != -128) {
        line += ldelta;
      }
      if (offset >= start && offset < end) {
        return line;
      }
    }
    return line;
  }

  /** 3.9: the line of the instruction at byte offset {@code lasti} ({@code PyCode_Addr2Line}). */
  static long lnotab(byte[] t, long firstLine, long lasti) {
    long line = firstLine;
    long addr = 0;
    for (int i = 0; i + 1 < t.length; i += 2) {
      addr += t[i] & 0xff;
      if (addr > lasti) {
        break;
      }
      line += t[i + 1];
    }
    return line;
  }
}
