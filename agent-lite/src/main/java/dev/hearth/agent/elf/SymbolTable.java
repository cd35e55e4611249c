package dev.hearth.agent.elf;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Function symbols of an ELF file ({@code .symtab}, else {@code .dynsym}), sorted by address for
 * binary search. Names are read from the string table on lookup, so the table stays small.
 */
public final class SymbolTable {
  private static final int STT_FUNC = 2;
  private static final int STT_GNU_IFUNC = 10;

  private final long[] starts;
  private final long[] sizes;
  private final int[] nameOffsets;
  private final @Nullable ByteBuffer strings;

  private SymbolTable(
      long[] starts, long[] sizes, int[] nameOffsets, @Nullable ByteBuffer strings) {
    this.starts = starts;
    this.sizes = sizes;
    this.nameOffsets = nameOffsets;
    this.strings = strings;
  }

  public static final SymbolTable EMPTY =
      new SymbolTable(new long[0], new long[0], new int[0], null);

  /** The function symbols of {@code elf}: {@code .symtab} when present, else {@code .dynsym}. */
  public static SymbolTable of(ElfFile elf) {
    SymbolTable t = read(elf, ".symtab");
    return t.size() > 0 ? t : read(elf, ".dynsym");
  }

  /**
   * The file offset of the defined function {@code name} ({@code .dynsym}, then {@code .symtab}),
   * as uprobes want it; -1 when the file does not define it.
   */
  public static long fileOffsetOf(ElfFile elf, String name) {
    long value = valueOf(elf, name, true);
    if (value == -1) {
      return -1;
    }
    for (ElfFile.Segment s : elf.segments()) {
      if (value >= s.vaddr() && value < s.vaddr() + s.fileSize()) {
        return value - s.vaddr() + s.offset();
      }
    }
    return -1;
  }

  /**
   * The virtual address of the defined symbol {@code name} of any kind (data too: {@code
   * _PyRuntime}), {@code .dynsym} first; -1 when the file does not define it.
   */
  public static long addressOf(ElfFile elf, String name) {
    return valueOf(elf, name, false);
  }

  private static long valueOf(ElfFile elf, String name, boolean functionsOnly) {
    byte[] want = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (String sectionName : new String[] {".dynsym", ".symtab"}) {
      ElfFile.Section section = elf.section(sectionName);
      if (section == null || section.type() == 8) {
        continue;
      }
      ElfFile.Section strSection = elf.sections().get(section.link());
      ByteBuffer syms = elf.slice(section.offset(), section.size());
      ByteBuffer strings = elf.slice(strSection.offset(), strSection.size());
      int n = (int) (section.size() / 24);
      for (int i = 0; i < n; i++) {
        int o = i * 24;
        int kind = syms.get(o + 4) & 0xf;
        long value = syms.getLong(o + 8);
        int shndx = syms.getShort(o + 6) & 0xffff;
        if ((functionsOnly && kind != STT_FUNC)
            || value == 0
            || shndx == 0
            || !nameIs(strings, syms.getInt(o), want)) {
          continue;
        }
        return value;
      }
    }
    return -1;
  }

  private static boolean nameIs(ByteBuffer strings, int at, byte[] want) {
    if (at < 0 || at + want.length >= strings.limit()) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      if (strings.get(at + i) != want[i]) {
        return false;
      }
    }
    return strings.get(at + want.length) == 0;
  }

  private static SymbolTable read(ElfFile elf, String sectionName) {
    ElfFile.Section section = elf.section(sectionName);
    if (section == null || section.type() == 8) {
      return EMPTY;
    }
    ElfFile.Section strSection = elf.sections().get(section.link());
    ByteBuffer syms = elf.slice(section.offset(), section.size());
    ByteBuffer strings = elf.slice(strSection.offset(), strSection.size());
    int n = (int) (section.size() / 24);
    long[][] rows = new long[n][];
    int count = 0;
    for (int i = 0; i < n; i++) {
      int o = i * 24;
      int info = syms.get(o + 4) & 0xff;
      int kind = info & 0xf;
      long value = syms.getLong(o + 8);
      if ((kind == STT_FUNC || kind == STT_GNU_IFUNC) && value != 0) {
        rows[count++] = new long[] {value, syms.getLong(o + 16), syms.getInt(o)};
      }
    }
    rows = Arrays.copyOf(rows, count);
    Arrays.sort(rows, (a, b) -> Long.compare(a[0], b[0]));
    long[] starts = new long[count];
    long[] sizes = new long[count];
    int[] names = new int[count];
    for (int i = 0; i < count; i++) {
      starts[i] = rows[i][0];
      sizes[i] = rows[i][1];
      names[i] = (int) rows[i][2];
    }
    return new SymbolTable(starts, sizes, names, strings);
  }

  public int size() {
    return starts.length;
  }

  /**
   * The function containing {@code address}, or null. A symbol of size 0 covers addresses up to the
   * next symbol.
   */
  public @Nullable String lookup(long address) {
    int i = Arrays.binarySearch(starts, address);
    if (i < 0) {
      i = -i - 2;
    }
    // Among aliases at one address, any name will do; walk back to one that covers the address.
    while (i >= 0) {
      long size = sizes[i];
      if (address >= starts[i] && (size == 0 || address < starts[i] + size)) {
        ByteBuffer s = strings;
        return s == null ? null : ElfFile.cString(s, nameOffsets[i]);
      }
      if (i > 0 && starts[i - 1] == starts[i]) {
        i--;
        continue;
      }
      return null;
    }
    return null;
  }
}
