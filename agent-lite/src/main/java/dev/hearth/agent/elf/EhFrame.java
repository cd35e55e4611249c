package dev.hearth.agent.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code .eh_frame} call frame information of one ELF file: an index of every FDE sorted by
 * start address, and the interpreter that runs a CIE's and an FDE's instructions up to an address
 * to give the {@link CfaRule} there. Built once per file (cached by build id) and read-only after.
 */
public final class EhFrame {
  private final ByteBuffer data;
  private final long sectionAddress;
  private final long[] starts;
  private final long[] ends;
  private final int[] fdeOffsets;
  private final Map<Integer, Cie> cies;

  /** The binary-search table of {@code .eh_frame_hdr}, or null when the index arrays are used. */
  private final @Nullable HdrTable hdr;

  /** {@code .eh_frame_hdr}'s sorted (start address, FDE address) pairs, read in place. */
  private record HdrTable(ByteBuffer table, int count, long hdrAddress) {
    long start(int i) {
      return table.getInt(i * 8) + hdrAddress;
    }

    long fde(int i) {
      return table.getInt(i * 8 + 4) + hdrAddress;
    }
  }

  private record Cie(
      long codeAlign,
      long dataAlign,
      int raRegister,
      int fdeEncoding,
      boolean augmented,
      int instructionsStart,
      int end) {}

  public static final EhFrame EMPTY =
      new EhFrame(ByteBuffer.allocate(0), 0, new long[0], new long[0], new int[0], Map.of(), null);

  private EhFrame(
      ByteBuffer data,
      long sectionAddress,
      long[] starts,
      long[] ends,
      int[] fdeOffsets,
      Map<Integer, Cie> cies,
      @Nullable HdrTable hdr) {
    this.data = data;
    this.sectionAddress = sectionAddress;
    this.starts = starts;
    this.ends = ends;
    this.fdeOffsets = fdeOffsets;
    this.cies = cies;
    this.hdr = hdr;
  }

  /** Indexes the {@code .eh_frame} of {@code elf}; {@link #EMPTY} when it has none. */
  public static EhFrame of(ElfFile elf) {
    ElfFile.Section section = elf.section(".eh_frame");
    ByteBuffer data = elf.sectionData(".eh_frame");
    if (section == null || data == null) {
      return EMPTY;
    }
    data.order(ByteOrder.LITTLE_ENDIAN);
    // The linker's sorted table lets lookups touch a few pages instead of the whole section, which
    // keeps the agent's RSS small with large binaries.
    ElfFile.Section hdrSection = elf.section(".eh_frame_hdr");
    ByteBuffer hdr = elf.sectionData(".eh_frame_hdr");
    if (hdrSection != null && hdr != null && hdr.limit() >= 12) {
      hdr.order(ByteOrder.LITTLE_ENDIAN);
      int version = hdr.get(0) & 0xff;
      int framePtrEncoding = hdr.get(1) & 0xff;
      int countEncoding = hdr.get(2) & 0xff;
      int tableEncoding = hdr.get(3) & 0xff;
      if (version == 1 && tableEncoding == 0x3b && countEncoding != Dwarf.PE_OMIT) {
        ByteBuffer b = hdr.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(4);
        Dwarf.pointer(b, framePtrEncoding, hdrSection.addr(), hdrSection.addr());
        int count = (int) Dwarf.pointer(b, countEncoding, hdrSection.addr(), hdrSection.addr());
        if (count >= 0 && b.position() + (long) count * 8 <= hdr.limit()) {
          ByteBuffer table = hdr.slice(b.position(), count * 8).order(ByteOrder.LITTLE_ENDIAN);
          return new EhFrame(
              data,
              section.addr(),
              new long[0],
              new long[0],
              new int[0],
              new java.util.concurrent.ConcurrentHashMap<>(),
              new HdrTable(table, count, hdrSection.addr()));
        }
      }
    }
    return parse(data, section.addr());
  }

  static EhFrame parse(ByteBuffer data, long sectionAddress) {
    Map<Integer, Cie> cies = new java.util.concurrent.ConcurrentHashMap<>();
    long[][] rows = new long[1024][];
    int count = 0;
    int pos = 0;
    while (pos + 4 <= data.limit()) {
      long length = Integer.toUnsignedLong(data.getInt(pos));
      if (length == 0) {
        break;
      }
      int idPos = pos + 4;
      if (length == 0xffffffffL) {
        length = data.getLong(pos + 4);
        idPos = pos + 12;
      }
      int end = (int) (idPos + length);
      if (end > data.limit()) {
        break;
      }
      int id = data.getInt(idPos);
      try {
        if (id == 0) {
          cies.put(pos, parseCie(data, idPos + 4, end));
        } else {
          int ciePos = idPos - id;
          Cie cie = cies.get(ciePos);
          if (cie == null) {
            cie = parseCie(data, ciePos + 8, ciePos + 4 + data.getInt(ciePos));
            cies.put(ciePos, cie);
          }
          ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(idPos + 4);
          long start = Dwarf.pointer(b, cie.fdeEncoding, sectionAddress, 0);
          long range = Dwarf.pointer(b, cie.fdeEncoding & 0x0f, sectionAddress, 0);
          if (count == rows.length) {
            rows = Arrays.copyOf(rows, count * 2);
          }
          rows[count++] = new long[] {start, start + range, pos};
        }
      } catch (RuntimeException e) {
        // A record we cannot read only costs us its own addresses.
      }
      pos = end;
    }
    rows = Arrays.copyOf(rows, count);
    Arrays.sort(rows, (a, b) -> Long.compare(a[0], b[0]));
    long[] starts = new long[count];
    long[] ends = new long[count];
    int[] offsets = new int[count];
    for (int i = 0; i < count; i++) {
      starts[i] = rows[i][0];
      ends[i] = rows[i][1];
      offsets[i] = (int) rows[i][2];
    }
    return new EhFrame(data, sectionAddress, starts, ends, offsets, cies, null);
  }

  private static Cie parseCie(ByteBuffer data, int start, int end) {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(start);
    int version = b.get() & 0xff;
    StringBuilder aug = new StringBuilder();
    for (int c = b.get(); c != 0; c = b.get()) {
      aug.append((char) c);
    }
    if (version >= 4) {
      b.get(); // address size
      b.get(); // segment selector size
    }
    long codeAlign = Dwarf.uleb(b);
    long dataAlign = Dwarf.sleb(b);
    int ra = version == 1 ? b.get() & 0xff : (int) Dwarf.uleb(b);
    int fdeEncoding = 0;
    boolean augmented = aug.length() > 0 && aug.charAt(0) == 'z';
    if (augmented) {
      long augLength = Dwarf.uleb(b);
      int augEnd = (int) (b.position() + augLength);
      for (int i = 1; i < aug.length(); i++) {
        switch (aug.charAt(i)) {
          case 'R' -> fdeEncoding = b.get() & 0xff;
          case 'P' -> {
            int enc = b.get() & 0xff;
            Dwarf.pointer(b, enc, 0, 0);
          }
          case 'L' -> b.get();
          default -> {}
        }
      }
      b.position(augEnd);
    }
    return new Cie(codeAlign, dataAlign, ra, fdeEncoding, augmented, b.position(), end);
  }

  /** How many FDEs the index holds. */
  public int size() {
    HdrTable h = hdr;
    return h != null ? h.count() : starts.length;
  }

  /**
   * The rule at {@code address} (a virtual address of this file), or null when no FDE covers it or
   * its CFI cannot be read.
   */
  public @Nullable CfaRule ruleAt(long address) {
    try {
      return lookup(address);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private @Nullable CfaRule lookup(long address) {
    int pos;
    HdrTable h = hdr;
    if (h != null) {
      int lo = 0;
      int hi = h.count() - 1;
      int found = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (h.start(mid) <= address) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (found < 0) {
        return null;
      }
      long offset = h.fde(found) - sectionAddress;
      if (offset < 0 || offset >= data.limit()) {
        return null;
      }
      pos = (int) offset;
    } else {
      int i = Arrays.binarySearch(starts, address);
      if (i < 0) {
        i = -i - 2;
      }
      if (i < 0 || address >= ends[i]) {
        return null;
      }
      pos = fdeOffsets[i];
    }
    int idPos = pos + 4;
    long length = Integer.toUnsignedLong(data.getInt(pos));
    if (length == 0xffffffffL) {
      length = data.getLong(pos + 4);
      idPos = pos + 12;
    }
    int end = (int) (idPos + length);
    int ciePos = idPos - data.getInt(idPos);
    Cie cie = cies.get(ciePos);
    if (cie == null) {
      if (ciePos < 0 || ciePos + 8 > data.limit()) {
        return null;
      }
      cie = parseCie(data, ciePos + 8, ciePos + 4 + data.getInt(ciePos));
      cies.put(ciePos, cie);
    }
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(idPos + 4);
    long start = Dwarf.pointer(b, cie.fdeEncoding, sectionAddress, 0);
    long range = Dwarf.pointer(b, cie.fdeEncoding & 0x0f, sectionAddress, 0);
    if (address < start || address >= start + range) {
      return null;
    }
    if (cie.augmented) {
      long augLength = Dwarf.uleb(b);
      b.position((int) (b.position() + augLength));
    }
    State state = new State();
    state.raOffset = -8;
    ByteBuffer init =
        data.duplicate()
            .order(ByteOrder.LITTLE_ENDIAN)
            .position(cie.instructionsStart)
            .limit(cie.end);
    execute(init, cie, state, null, start, Long.MAX_VALUE);
    State initial = state.copy();
    b.limit(end);
    execute(b, cie, state, initial, start, address);
    return state.rule();
  }

  /** Register rules the unwinder needs: CFA, return address (16) and rbp (6). */
  private static final class State {
    int cfaRegister = CfaRule.RSP;
    long cfaOffset = 8;
    byte @Nullable [] cfaExpression;
    long raOffset = -8;
    boolean raUndefined;
    boolean bpSaved;
    long bpOffset;

    State copy() {
      State s = new State();
      s.cfaRegister = cfaRegister;
      s.cfaOffset = cfaOffset;
      s.cfaExpression = cfaExpression;
      s.raOffset = raOffset;
      s.raUndefined = raUndefined;
      s.bpSaved = bpSaved;
      s.bpOffset = bpOffset;
      return s;
    }

    void restoreFrom(State from, int register) {
      if (register == CfaRule.RBP) {
        bpSaved = from.bpSaved;
        bpOffset = from.bpOffset;
      } else if (register == CfaRule.RIP) {
        raOffset = from.raOffset;
        raUndefined = from.raUndefined;
      }
    }

    void offset(int register, long offset) {
      if (register == CfaRule.RBP) {
        bpSaved = true;
        bpOffset = offset;
      } else if (register == CfaRule.RIP) {
        raOffset = offset;
        raUndefined = false;
      }
    }

    void sameOrUndefined(int register, boolean undefined) {
      if (register == CfaRule.RBP) {
        bpSaved = false;
      } else if (register == CfaRule.RIP) {
        raUndefined = undefined;
      }
    }

    CfaRule rule() {
      return new CfaRule(
          cfaExpression != null ? -1 : cfaRegister,
          cfaOffset,
          cfaExpression,
          raOffset,
          bpSaved,
          bpOffset,
          raUndefined);
    }
  }

  private void execute(
      ByteBuffer b, Cie cie, State s, @Nullable State initial, long location, long target) {
    long loc = location;
    ArrayDeque<State> stack = new ArrayDeque<>();
    while (b.hasRemaining()) {
      int op = b.get() & 0xff;
      int high = op & 0xc0;
      int low = op & 0x3f;
      if (high == 0x40) {
        loc += low * cie.codeAlign;
        if (loc > target) {
          return;
        }
        continue;
      }
      if (high == 0x80) {
        s.offset(low, Dwarf.uleb(b) * cie.dataAlign);
        continue;
      }
      if (high == 0xc0) {
        if (initial != null) {
          s.restoreFrom(initial, low);
        }
        continue;
      }
      long advance = -1;
      switch (op) {
        case 0x00 -> {}
        case 0x01 -> loc = Dwarf.pointer(b, cie.fdeEncoding, sectionAddress, 0);
        case 0x02 -> advance = b.get() & 0xff;
        case 0x03 -> advance = b.getShort() & 0xffff;
        case 0x04 -> advance = Integer.toUnsignedLong(b.getInt());
        case 0x05 -> {
          int reg = (int) Dwarf.uleb(b);
          s.offset(reg, Dwarf.uleb(b) * cie.dataAlign);
        }
        case 0x06 -> {
          int reg = (int) Dwarf.uleb(b);
          if (initial != null) {
            s.restoreFrom(initial, reg);
          }
        }
        case 0x07 -> s.sameOrUndefined((int) Dwarf.uleb(b), true);
        case 0x08 -> s.sameOrUndefined((int) Dwarf.uleb(b), false);
        case 0x09 -> {
          int reg = (int) Dwarf.uleb(b);
          Dwarf.uleb(b);
          s.sameOrUndefined(reg, false); // value in another register: not tracked
        }
        case 0x0a -> stack.push(s.copy());
        case 0x0b -> {
          State saved = stack.poll();
          if (saved != null) {
            s.cfaRegister = saved.cfaRegister;
            s.cfaOffset = saved.cfaOffset;
            s.cfaExpression = saved.cfaExpression;
            s.raOffset = saved.raOffset;
            s.raUndefined = saved.raUndefined;
            s.bpSaved = saved.bpSaved;
            s.bpOffset = saved.bpOffset;
          }
        }
        case 0x0c -> {
          s.cfaRegister = (int) Dwarf.uleb(b);
          s.cfaOffset = Dwarf.uleb(b);
          s.cfaExpression = null;
        }
        case 0x0d -> {
          s.cfaRegister = (int) Dwarf.uleb(b);
          s.cfaExpression = null;
        }
        case 0x0e -> s.cfaOffset = Dwarf.uleb(b);
        case 0x0f -> {
          byte[] expr = new byte[(int) Dwarf.uleb(b)];
          b.get(expr);
          s.cfaExpression = expr;
        }
        case 0x10, 0x16 -> {
          int reg = (int) Dwarf.uleb(b);
          b.position((int) (b.position() + Dwarf.uleb(b)));
          s.sameOrUndefined(reg, reg == CfaRule.RIP); // register expressions: not followed
        }
        case 0x11 -> {
          int reg = (int) Dwarf.uleb(b);
          s.offset(reg, Dwarf.sleb(b) * cie.dataAlign);
        }
        case 0x12 -> {
          s.cfaRegister = (int) Dwarf.uleb(b);
          s.cfaOffset = Dwarf.sleb(b) * cie.dataAlign;
          s.cfaExpression = null;
        }
        case 0x13 -> s.cfaOffset = Dwarf.sleb(b) * cie.dataAlign;
        case 0x14 -> {
          int reg = (int) Dwarf.uleb(b);
          Dwarf.uleb(b);
          s.sameOrUndefined(reg, false);
        }
        case 0x15 -> {
          int reg = (int) Dwarf.uleb(b);
          Dwarf.sleb(b);
          s.sameOrUndefined(reg, false);
        }
        case 0x2e -> Dwarf.uleb(b); // GNU_args_size
        case 0x2f -> {
          int reg = (int) Dwarf.uleb(b);
          s.offset(reg, -Dwarf.uleb(b) * cie.dataAlign);
        }
        default -> {
          return; // unknown opcode: keep what we have
        }
      }
      if (advance >= 0) {
        loc += advance * cie.codeAlign;
        if (loc > target) {
          return;
        }
      }
    }
  }
}
