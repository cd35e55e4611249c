package dev.hearth.agent.elf;

import java.nio.ByteBuffer;

/** Readers for the variable-length encodings of DWARF call frame information. */
final class Dwarf {
  static final int PE_OMIT = 0xff;

  private Dwarf() {}

  static long uleb(ByteBuffer b) {
    long result = 0;
    int shift = 0;
    while (true) {
      int x = b.get() & 0xff;
      if (shift < 64) {
        result |= (long) (x & 0x7f) << shift;
      }
      shift += 7;
      if ((x & 0x80) == 0) {
        return result;
      }
    }
  }

  static long sleb(ByteBuffer b) {
    long result = 0;
    int shift = 0;
    int x;
    do {
      x = b.get() & 0xff;
      if (shift < 64) {
        result |= (long) (x & 0x7f) << shift;
      }
      shift += 7;
    } while ((x & 0x80) != 0);
    if (shift < 64 && (x & 0x40) != 0) {
      result |= -1L << shift;
    }
    return result;
  }

  /**
   * Reads a pointer in {@code DW_EH_PE_*} encoding. {@code sectionAddress} is the address the
   * buffer's position 0 is loaded at (for pc-relative values); data-relative values use {@code
   * dataBase}.
   */
  static long pointer(ByteBuffer b, int encoding, long sectionAddress, long dataBase) {
    if (encoding == PE_OMIT) {
      return 0;
    }
    long here = sectionAddress + b.position();
    long value =
        switch (encoding & 0x0f) {
          case 0x00 -> b.getLong();
          case 0x01 -> uleb(b);
          case 0x02 -> Short.toUnsignedLong(b.getShort());
          case 0x03 -> Integer.toUnsignedLong(b.getInt());
          case 0x04 -> b.getLong();
          case 0x09 -> sleb(b);
          case 0x0a -> b.getShort();
          case 0x0b -> b.getInt();
          case 0x0c -> b.getLong();
          default ->
              throw new IllegalArgumentException(
                  "unsupported pointer encoding 0x" + Integer.toHexString(encoding));
        };
    return switch (encoding & 0x70) {
      case 0x00 -> value;
      case 0x10 -> value + here;
      case 0x30 -> value + dataBase;
      default -> value; // textrel/funcrel do not occur on x86-64 Linux
    };
  }
}
