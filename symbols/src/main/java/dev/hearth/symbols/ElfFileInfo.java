package dev.hearth.symbols;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;

/**
 * What Hearth needs to know of an ELF file before it trusts it as a debug file: its GNU build id
 * and whether it has anything to name addresses with ({@code .symtab}, {@code .dynsym}, DWARF).
 * Reads only the header, the section headers and the notes, with every offset bounds-checked, so a
 * truncated or hostile file fails with {@link CorruptDebugFileException}, never worse. Naming
 * addresses is {@link LlvmSymbolizer}'s job.
 *
 * @param buildId the GNU build id in lower-case hex, or empty when the file has none
 */
public record ElfFileInfo(
    String buildId, boolean hasSymtab, boolean hasDynsym, boolean hasDwarf, long size) {
  private static final int SHT_SYMTAB = 2;
  private static final int SHT_NOTE = 7;
  private static final int SHT_NOBITS = 8;
  private static final int SHT_DYNSYM = 11;
  private static final int NT_GNU_BUILD_ID = 3;
  private static final int MAX_SECTIONS = 65_535;
  private static final int MAX_NOTE_BYTES = 1 << 20;

  /** True when the file can name at least some addresses. */
  public boolean hasSymbols() {
    return hasSymtab || hasDynsym || hasDwarf;
  }

  /** Reads {@code file}; fails with {@link CorruptDebugFileException} when it is not sound ELF. */
  public static ElfFileInfo read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch);
    }
  }

  private static ElfFileInfo read(FileChannel ch) throws IOException {
    long size = ch.size();
    ByteBuffer ident = readAt(ch, 0, 64, size, "ELF header");
    if (ident.getInt(0) != 0x464c457f) { // "\x7fELF" read little-endian
      throw new CorruptDebugFileException("not an ELF file (it does not start with the ELF magic)");
    }
    boolean is64 =
        switch (ident.get(4)) {
          case 1 -> false;
          case 2 -> true;
          default -> throw new CorruptDebugFileException("unknown ELF class " + ident.get(4));
        };
    ByteOrder order =
        switch (ident.get(5)) {
          case 1 -> ByteOrder.LITTLE_ENDIAN;
          case 2 -> ByteOrder.BIG_ENDIAN;
          default -> throw new CorruptDebugFileException("unknown ELF data encoding");
        };
    ByteBuffer h = ident.order(order);
    long shoff = is64 ? h.getLong(0x28) : Integer.toUnsignedLong(h.getInt(0x20));
    int shentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x3A : 0x2E));
    long shnum = Short.toUnsignedInt(h.getShort(is64 ? 0x3C : 0x30));
    int shstrndx = Short.toUnsignedInt(h.getShort(is64 ? 0x3E : 0x32));
    int minEntry = is64 ? 64 : 40;
    if (shoff == 0) {
      throw new CorruptDebugFileException("no section headers");
    }
    if (shentsize < minEntry) {
      throw new CorruptDebugFileException("section header size " + shentsize + " too small");
    }
    Section first = section(readAt(ch, shoff, shentsize, size, "section header 0"), is64, order);
    if (shnum == 0) {
      shnum = first.size; // extended numbering: the count is in section 0's size
    }
    if (shstrndx == 0xffff) {
      shstrndx = (int) first.link;
    }
    if (shnum > MAX_SECTIONS || shstrndx >= shnum) {
      throw new CorruptDebugFileException("section count " + shnum + " or name index is bad");
    }
    ByteBuffer all =
        readAt(ch, shoff, Math.multiplyExact(shentsize, (int) shnum), size, "section headers");
    Section[] sections = new Section[(int) shnum];
    for (int i = 0; i < shnum; i++) {
      sections[i] = section(all.slice(i * shentsize, shentsize), is64, order);
    }
    Section names = sections[shstrndx];
    ByteBuffer strtab =
        names.type == SHT_NOBITS
            ? ByteBuffer.allocate(0)
            : readAt(ch, names.offset, checkedInt(names.size), size, "section names");
    String buildId = "";
    boolean symtab = false;
    boolean dynsym = false;
    boolean dwarf = false;
    for (Section s : sections) {
      if (s.type == SHT_NOBITS || s.size == 0) {
        continue;
      }
      String name = name(strtab, s.name);
      symtab |= s.type == SHT_SYMTAB;
      dynsym |= s.type == SHT_DYNSYM;
      dwarf |= name.equals(".debug_info") || name.equals(".zdebug_info");
      if (s.type == SHT_NOTE && buildId.isEmpty() && s.size <= MAX_NOTE_BYTES) {
        buildId = buildIdNote(readAt(ch, s.offset, (int) s.size, size, name).order(order));
      }
    }
    return new ElfFileInfo(buildId, symtab, dynsym, dwarf, size);
  }

  private record Section(long name, int type, long offset, long size, long link) {}

  private static Section section(ByteBuffer b, boolean is64, ByteOrder order) {
    b.order(order);
    if (is64) {
      return new Section(
          Integer.toUnsignedLong(b.getInt(0)),
          b.getInt(4),
          b.getLong(24),
          b.getLong(32),
          Integer.toUnsignedLong(b.getInt(40)));
    }
    return new Section(
        Integer.toUnsignedLong(b.getInt(0)),
        b.getInt(4),
        Integer.toUnsignedLong(b.getInt(16)),
        Integer.toUnsignedLong(b.getInt(20)),
        Integer.toUnsignedLong(b.getInt(24)));
  }

  private static String buildIdNote(ByteBuffer b) {
    int pos = 0;
    while (pos + 12 <= b.limit()) {
      long nameSize = Integer.toUnsignedLong(b.getInt(pos));
      long descSize = Integer.toUnsignedLong(b.getInt(pos + 4));
      int type = b.getInt(pos + 8);
      long nameStart = pos + 12L;
      long descStart = nameStart + ((nameSize + 3) & ~3L);
      long end = descStart + ((descSize + 3) & ~3L);
      if (descStart + descSize > b.limit()) {
        return "";
      }
      if (type == NT_GNU_BUILD_ID
          && nameSize == 4
          && b.get((int) nameStart) == 'G'
          && b.get((int) nameStart + 1) == 'N'
          && b.get((int) nameStart + 2) == 'U') {
        byte[] id = new byte[(int) descSize];
        b.get((int) descStart, id);
        return HexFormat.of().formatHex(id);
      }
      pos = (int) Math.min(end, Integer.MAX_VALUE);
    }
    return "";
  }

  private static String name(ByteBuffer strtab, long offset) {
    if (offset >= strtab.limit()) {
      return "";
    }
    int end = (int) offset;
    while (end < strtab.limit() && strtab.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - (int) offset];
    strtab.get((int) offset, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static int checkedInt(long n) throws CorruptDebugFileException {
    if (n < 0 || n > (64 << 20)) {
      throw new CorruptDebugFileException("section of " + n + " bytes is out of bounds");
    }
    return (int) n;
  }

  private static ByteBuffer readAt(FileChannel ch, long offset, int length, long size, String what)
      throws IOException {
    if (offset < 0 || length < 0 || offset > size - length) {
      throw new CorruptDebugFileException(
          what + " at " + offset + "+" + length + " lies outside the file (" + size + " bytes)");
    }
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, offset + b.position()) < 0) {
        throw new CorruptDebugFileException(what + " is truncated");
      }
    }
    return b.flip();
  }
}
