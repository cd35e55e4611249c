package dev.hearth.agent.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A 64-bit little-endian ELF file, memory-mapped: its load segments, sections, GNU build id, {@code
 * .gnu_debuglink}, and the raw bytes of sections such as {@code .eh_frame}. Read-only and safe to
 * share between threads once built.
 */
public final class ElfFile {
  private static final int SHT_NOBITS = 8;
  private static final int PT_LOAD = 1;
  private static final int NT_GNU_BUILD_ID = 3;

  /** One section header. */
  public record Section(String name, int type, long addr, long offset, long size, int link) {}

  /** One {@code PT_LOAD} segment. */
  public record Segment(long offset, long vaddr, long fileSize, boolean executable) {}

  private final Path path;
  private final ByteBuffer data;
  private final int type;
  private final List<Section> sections;
  private final List<Segment> segments;

  private ElfFile(Path path, ByteBuffer data) {
    this.path = path;
    this.data = data.order(ByteOrder.LITTLE_ENDIAN);
    if (data.limit() < 64
        || data.getInt(0) != 0x464c457f
        || data.get(4) != 2 /* ELFCLASS64 */
        || data.get(5) != 1 /* little endian */) {
      throw new IllegalArgumentException(path + " is not a 64-bit little-endian ELF file");
    }
    this.type = Short.toUnsignedInt(data.getShort(0x10));
    this.segments = readSegments();
    this.sections = readSections();
  }

  /** Maps and parses {@code path}. */
  public static ElfFile open(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return new ElfFile(path, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
    }
  }

  /** Parses an ELF image already in memory (tests). */
  public static ElfFile of(Path name, ByteBuffer bytes) {
    return new ElfFile(name, bytes);
  }

  public Path path() {
    return path;
  }

  /** {@code ET_EXEC} (2) or {@code ET_DYN} (3, shared objects and PIE executables). */
  public int type() {
    return type;
  }

  public List<Section> sections() {
    return sections;
  }

  public List<Segment> segments() {
    return segments;
  }

  public @Nullable Section section(String name) {
    for (Section s : sections) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** A section's bytes, or null when it is absent or has no file contents. */
  public @Nullable ByteBuffer sectionData(String name) {
    Section s = section(name);
    return s == null || s.type == SHT_NOBITS ? null : slice(s.offset, s.size);
  }

  ByteBuffer slice(long offset, long size) {
    if (offset < 0 || size < 0 || offset + size > data.limit()) {
      throw new IllegalArgumentException(path + ": range beyond the end of the file");
    }
    return data.slice((int) offset, (int) size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The virtual address (as symbols and CFI use it) of a file offset, or -1 when no load segment
   * covers it.
   */
  public long fileOffsetToAddress(long fileOffset) {
    for (Segment s : segments) {
      if (fileOffset >= s.offset && fileOffset < s.offset + s.fileSize) {
        return fileOffset - s.offset + s.vaddr;
      }
    }
    return -1;
  }

  /** The GNU build id in hex, or empty. */
  public String buildId() {
    for (Section s : sections) {
      if (s.type != 7 /* SHT_NOTE */ || s.type == SHT_NOBITS) {
        continue;
      }
      ByteBuffer b = slice(s.offset, s.size);
      while (b.remaining() >= 12) {
        int nameSize = b.getInt();
        int descSize = b.getInt();
        int noteType = b.getInt();
        int nameStart = b.position();
        int descStart = nameStart + align4(nameSize);
        if (descStart + descSize > b.limit()) {
          break;
        }
        if (noteType == NT_GNU_BUILD_ID && nameSize == 4 && b.get(nameStart) == 'G') {
          byte[] id = new byte[descSize];
          b.get(descStart, id);
          return HexFormat.of().formatHex(id);
        }
        b.position(descStart + align4(descSize));
      }
    }
    return "";
  }

  /** The file name in {@code .gnu_debuglink}, or null. */
  public @Nullable String debugLink() {
    ByteBuffer b = sectionData(".gnu_debuglink");
    return b == null ? null : cString(b, 0);
  }

  private static int align4(int n) {
    return (n + 3) & ~3;
  }

  static String cString(ByteBuffer b, int offset) {
    int end = offset;
    while (end < b.limit() && b.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - offset];
    b.get(offset, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private List<Segment> readSegments() {
    long phoff = data.getLong(0x20);
    int phentsize = Short.toUnsignedInt(data.getShort(0x36));
    int phnum = Short.toUnsignedInt(data.getShort(0x38));
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < phnum; i++) {
      int p = (int) (phoff + (long) i * phentsize);
      if (data.getInt(p) == PT_LOAD) {
        out.add(
            new Segment(
                data.getLong(p + 8),
                data.getLong(p + 16),
                data.getLong(p + 32),
                (data.getInt(p + 4) & 1) != 0));
      }
    }
    return List.copyOf(out);
  }

  private List<Section> readSections() {
    long shoff = data.getLong(0x28);
    int shentsize = Short.toUnsignedInt(data.getShort(0x3a));
    int shnum = Short.toUnsignedInt(data.getShort(0x3c));
    int shstrndx = Short.toUnsignedInt(data.getShort(0x3e));
    if (shoff == 0 || shnum == 0 || shoff + (long) shnum * shentsize > data.limit()) {
      return List.of();
    }
    int strHeader = (int) (shoff + (long) shstrndx * shentsize);
    ByteBuffer names = slice(data.getLong(strHeader + 24), data.getLong(strHeader + 32));
    List<Section> out = new ArrayList<>(shnum);
    for (int i = 0; i < shnum; i++) {
      int h = (int) (shoff + (long) i * shentsize);
      out.add(
          new Section(
              cString(names, data.getInt(h)),
              data.getInt(h + 4),
              data.getLong(h + 16),
              data.getLong(h + 24),
              data.getLong(h + 32),
              data.getInt(h + 40)));
    }
    return List.copyOf(out);
  }
}
