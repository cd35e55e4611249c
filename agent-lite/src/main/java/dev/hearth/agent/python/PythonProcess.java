package dev.hearth.agent.python;

import dev.hearth.agent.unwind.ProcessMemory;
import dev.hearth.model.Function;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One registered CPython process: turns the (code object, instruction) pairs the BPF program
 * recorded into named locations. Code objects are read from the process's memory once and cached
 * (they live as long as their function; the frame that pointed at one kept it alive at the sample).
 */
public final class PythonProcess implements AutoCloseable {
  static final int MAX_CODES = 20_000;
  static final int MAX_STRING = 1024;
  static final int MAX_LINETABLE = 1 << 16;

  private final int pid;
  private final PythonLayout layout;
  private final ProcessMemory memory;
  private final Map<Long, @Nullable Code> codes =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, @Nullable Code> eldest) {
          return size() > MAX_CODES;
        }
      };

  /** What the agent needs of one code object. */
  record Code(Function function, long firstLine, byte[] lineTable) {}

  PythonProcess(int pid, PythonLayout layout) {
    this.pid = pid;
    this.layout = layout;
    this.memory = new ProcessMemory(pid);
  }

  public int pid() {
    return pid;
  }

  public PythonLayout layout() {
    return layout;
  }

  /** The location of one recorded frame, or null when its code object cannot be read. */
  public synchronized @Nullable Location location(long codeWord, long instr) {
    long address = codeWord & ~7L;
    Code code = codes.computeIfAbsent(address, this::readCode);
    if (code == null) {
      return null;
    }
    long line = line(code, address, instr);
    return Location.of(null, 0, List.of(new Line(code.function(), line, 0)), "python");
  }

  private long line(Code code, long address, long instr) {
    if (layout.frameObjects()) {
      long lasti =
          (int) instr; // f_lasti: the int at its offset; the word's high half is another field
      if (lasti < 0) {
        return code.firstLine();
      }
      return layout.minor() == 9
          ? LineTables.lnotab(code.lineTable(), code.firstLine(), lasti)
          : LineTables.linetable310(code.lineTable(), code.firstLine(), lasti * 2);
    }
    long unit = (instr - (address + layout.codeUnits())) / 2;
    if (unit < 0) {
      return code.firstLine();
    }
    return LineTables.locations(code.lineTable(), code.firstLine(), unit);
  }

  private @Nullable Code readCode(long address) {
    ByteBuffer c = memory.read(address, codeBytes());
    if (c == null) {
      return null;
    }
    String name = string(c.getLong(layout.codeQualname()));
    if (name == null) {
      return null;
    }
    String file = string(c.getLong(layout.codeFilename()));
    long firstLine = c.getInt(layout.codeFirstlineno());
    byte[] table = bytes(c.getLong(layout.codeLinetable()));
    return new Code(
        Function.of(name, name, file == null ? "" : file, firstLine),
        firstLine,
        table == null ? new byte[0] : table);
  }

  /** Bytes of a code object covering every field read. */
  private int codeBytes() {
    int max = 0;
    for (int off :
        new int[] {
          layout.codeFilename(),
          layout.codeName(),
          layout.codeQualname(),
          layout.codeLinetable(),
          layout.codeFirstlineno()
        }) {
      max = Math.max(max, off);
    }
    return max + 8;
  }

  /** A {@code str} object's text: compact ASCII, Latin-1, UCS-2 or UCS-4. */
  private @Nullable String string(long object) {
    ByteBuffer h = memory.read(object, layout.compactSize());
    if (h == null) {
      return null;
    }
    long length = h.getLong(16);
    int state = h.getInt(32);
    int kind = (state >>> 2) & 7;
    boolean compact = ((state >>> 5) & 1) != 0;
    boolean ascii = ((state >>> 6) & 1) != 0;
    if (!compact || length < 0 || kind == 0 || kind == 3 || kind > 4) {
      return null;
    }
    int n = (int) Math.min(length, MAX_STRING);
    ByteBuffer data =
        memory.read(object + (ascii ? layout.asciiSize() : layout.compactSize()), n * kind);
    if (data == null) {
      return null;
    }
    byte[] raw = new byte[n * kind];
    data.get(raw);
    return switch (kind) {
      case 1 -> new String(raw, ascii ? StandardCharsets.US_ASCII : StandardCharsets.ISO_8859_1);
      case 2 -> new String(raw, StandardCharsets.UTF_16LE);
      default -> {
        StringBuilder sb = new StringBuilder(n);
        ByteBuffer b = ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          sb.appendCodePoint(b.getInt());
        }
        yield sb.toString();
      }
    };
  }

  /** A {@code bytes} object's contents. */
  private byte @Nullable [] bytes(long object) {
    ByteBuffer h = memory.read(object, 24);
    if (h == null) {
      return null;
    }
    long size = h.getLong(16);
    if (size < 0 || size > MAX_LINETABLE) {
      return null;
    }
    ByteBuffer data = memory.read(object + layout.bytesData(), (int) size);
    if (data == null) {
      return null;
    }
    byte[] out = new byte[(int) size];
    data.get(out);
    return out;
  }

  @Override
  public void close() {
    memory.close();
  }
}
