package dev.hearth.agent.hotspot;

import dev.hearth.agent.elf.ElfFile;
import dev.hearth.agent.unwind.ProcessMemory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One HotSpot JVM as VMStructs describes it: where its code cache is, which code blob holds an
 * address (the code heaps' segment maps, as {@code CodeHeap::find_blob} walks them), each blob's
 * kind and frame size, and the names of methods from their {@code Method*}. Blob headers and method
 * metadata outlive the sample that pointed at them, so they are read afterwards and cached; the
 * frames themselves come from the stack copy taken at the sample.
 */
public final class HotSpotProcess implements AutoCloseable {
  static final int MAX_CACHED = 50_000;

  /** What kind of code a blob holds. */
  public enum Kind {
    COMPILED,
    INTERPRETER,
    STUB
  }

  /**
   * One code blob.
   *
   * @param kind compiled method, the interpreter, or another stub
   * @param name the blob's name ({@code nmethod}, {@code Interpreter}, a stub's name)
   * @param frameSize the frame size in words (compiled methods and runtime stubs), else 0
   * @param codeBegin the first instruction
   * @param frameComplete bytes from {@code codeBegin} after which the frame is set up, or -1
   * @param method compiled methods: the {@code Method*}, else 0
   */
  public record Blob(
      long address,
      Kind kind,
      String name,
      int frameSize,
      long codeBegin,
      int frameComplete,
      long method) {}

  /**
   * One Java frame a compiled frame stands for: compiled code may hold several methods inlined.
   *
   * @param method the {@code Method*}
   * @param bci the bytecode index, or -1
   */
  public record Scope(long method, int bci) {}

  private record Heap(long low, long high, long segmap, int log2Segment) {}

  private final int pid;
  private final ProcessMemory mem;
  private final VmStructs vm;
  private final Offsets o;
  private volatile List<Heap> heaps = List.of();
  private volatile long low;
  private volatile long high;
  private long heapsReadAt;
  private final Map<Long, @Nullable Blob> blobs = lru();
  private final Map<Long, String> methods = lru();
  private final Map<Long, String> blobNames = new java.util.HashMap<>();
  private final Map<Long, List<Scope>> scopes = lru();
  private final Map<Long, Integer> lines = lru();
  private final boolean unsigned5;

  private HotSpotProcess(int pid, ProcessMemory mem, VmStructs vm, int feature) {
    this.unsigned5 = feature >= 20;
    this.pid = pid;
    this.mem = mem;
    this.vm = vm;
    this.o = new Offsets(vm);
  }

  /** Reads the VMStructs of {@code pid}'s libjvm (mapped with load bias {@code bias}), or null. */
  public static @Nullable HotSpotProcess open(int pid, ElfFile libjvm, long bias, int feature) {
    ProcessMemory mem = new ProcessMemory(pid);
    VmStructs vm = VmStructs.read(mem, libjvm, bias);
    if (vm == null || vm.field("CodeCache", "_heaps") < 0 || vm.field("CodeBlob", "_name") < 0) {
      mem.close();
      return null;
    }
    return new HotSpotProcess(pid, mem, vm, feature);
  }

  public int pid() {
    return pid;
  }

  /** Whether {@code pc} lies in the code cache (re-read at most once a second when it grows). */
  public boolean inCodeCache(long pc) {
    if (pc >= low && pc < high) {
      return true;
    }
    long now = System.nanoTime();
    synchronized (this) {
      if (now - heapsReadAt > 1_000_000_000L || heaps.isEmpty()) {
        heapsReadAt = now;
        readHeaps();
      }
    }
    return pc >= low && pc < high;
  }

  private void readHeaps() {
    long array = mem.word(vm.field("CodeCache", "_heaps"));
    if (array == 0) {
      return;
    }
    ByteBuffer a = mem.read(array, 16);
    if (a == null) {
      return;
    }
    int len = a.getInt((int) Math.max(0, vm.field("GrowableArrayBase", "_len")));
    long data = a.getLong((int) vm.field("GrowableArray<int>", "_data"));
    List<Heap> out = new ArrayList<>();
    long lo = Long.MAX_VALUE;
    long hi = 0;
    for (int i = 0; i < Math.min(len, 8); i++) {
      long heap = mem.word(data + i * 8L);
      long memory = heap + vm.field("CodeHeap", "_memory");
      long segmap = heap + vm.field("CodeHeap", "_segmap");
      long vLow = vm.field("VirtualSpace", "_low");
      long vHigh = vm.field("VirtualSpace", "_high");
      long start = mem.word(memory + vLow);
      long end = mem.word(memory + vHigh);
      long map = mem.word(segmap + vLow);
      ByteBuffer log2 = mem.read(heap + vm.field("CodeHeap", "_log2_segment_size"), 4);
      if (start == 0 || end <= start || map == 0 || log2 == null) {
        continue;
      }
      out.add(new Heap(start, end, map, log2.getInt(0)));
      lo = Math.min(lo, start);
      hi = Math.max(hi, end);
    }
    if (!out.isEmpty()) {
      heaps = List.copyOf(out);
      low = lo;
      high = hi;
    }
  }

  /** The blob containing {@code pc}, or null. */
  public synchronized @Nullable Blob blob(long pc) {
    if (blobs.containsKey(pc)) {
      return blobs.get(pc);
    }
    Blob b = findBlob(pc);
    blobs.put(pc, b);
    return b;
  }

  private @Nullable Blob findBlob(long pc) {
    for (Heap h : heaps) {
      if (pc < h.low() || pc >= h.high()) {
        continue;
      }
      long seg = (pc - h.low()) >>> h.log2Segment();
      for (int hops = 0; hops < 100_000; hops++) {
        ByteBuffer b = mem.read(h.segmap() + seg, 1);
        if (b == null) {
          return null;
        }
        int tag = b.get(0) & 0xff;
        if (tag == 0xff) {
          return null; // free segment
        }
        if (tag == 0) {
          break;
        }
        seg -= tag;
      }
      long block = h.low() + (seg << h.log2Segment());
      ByteBuffer header = mem.read(block, (int) o.heapBlockSize);
      if (header == null || header.get((int) o.heapBlockUsed) == 0) {
        return null;
      }
      return readBlob(block + o.heapBlockSize);
    }
    return null;
  }

  private @Nullable Blob readBlob(long blob) {
    ByteBuffer b = mem.read(blob, (int) o.blobBytes);
    if (b == null) {
      return null;
    }
    long namePtr = b.getLong((int) o.blobName);
    String name = blobNames.computeIfAbsent(namePtr, p -> orEmpty(VmStructs.cString(mem, p)));
    int frameSize = b.getInt((int) o.blobFrameSize);
    long codeBegin =
        o.blobCodeBegin >= 0
            ? b.getLong((int) o.blobCodeBegin)
            : blob + b.getInt((int) o.blobCodeOffset);
    int complete =
        o.frameCompleteIsShort
            ? b.getShort((int) o.blobFrameComplete)
            : b.getInt((int) o.blobFrameComplete);
    Kind kind;
    long method = 0;
    if (isCompiled(b, name)) {
      kind = Kind.COMPILED;
      ByteBuffer m = mem.read(blob + o.nmethodMethod, 8);
      method = m == null ? 0 : m.getLong(0);
    } else if (name.equals("Interpreter")) {
      kind = Kind.INTERPRETER;
    } else {
      kind = Kind.STUB;
    }
    return new Blob(blob, kind, name, frameSize, codeBegin, complete, method);
  }

  private boolean isCompiled(ByteBuffer b, String name) {
    if (o.blobKind >= 0) {
      return (b.get((int) o.blobKind) & 0xff) == o.kindNmethod;
    }
    return name.equals("nmethod") || name.equals("native nmethod");
  }

  /**
   * A method's name as perf maps write it, {@code void Chain.main(java.lang.String[])}, or null
   * when its metadata cannot be read.
   */
  public synchronized @Nullable String methodName(long method) {
    if (method == 0) {
      return null;
    }
    String cached = methods.get(method);
    if (cached != null) {
      return cached;
    }
    String name = readMethodName(method);
    if (name != null) {
      methods.put(method, name);
    }
    return name;
  }

  private @Nullable String readMethodName(long method) {
    long constMethod = mem.word(method + o.methodConstMethod);
    long cp = constMethod == 0 ? 0 : mem.word(constMethod + o.constMethodConstants);
    if (cp == 0) {
      return null;
    }
    long holder = mem.word(cp + o.cpPoolHolder);
    String klass = holder == 0 ? null : symbol(mem.word(holder + o.klassName));
    ByteBuffer idx = mem.read(constMethod + o.constMethodNameIndex, 2);
    ByteBuffer sigIdx = mem.read(constMethod + o.constMethodSignatureIndex, 2);
    if (klass == null || idx == null || sigIdx == null) {
      return null;
    }
    long base = cp + o.cpSize;
    String name = symbol(mem.word(base + (idx.getShort(0) & 0xffff) * 8L));
    String sig = symbol(mem.word(base + (sigIdx.getShort(0) & 0xffff) * 8L));
    if (name == null || sig == null) {
      return null;
    }
    return Signatures.format(klass.replace('/', '.'), name, sig);
  }

  /**
   * The Java frames, innermost first, that the compiled code at {@code pc} (a return address, or
   * the sampled pc) stands for: its debug information's scope chain. Empty when unreadable.
   */
  public synchronized List<Scope> scopes(long pc) {
    List<Scope> known = scopes.get(pc);
    if (known == null) {
      known = readScopes(pc);
      scopes.put(pc, known);
    }
    return known;
  }

  private List<Scope> readScopes(long pc) {
    Blob b = blob(pc);
    if (b == null || b.kind() != Kind.COMPILED || o.scopesPcsOffset < 0) {
      return List.of();
    }
    ByteBuffer nm = mem.read(b.address(), (int) o.nmethodBytes);
    if (nm == null) {
      return List.of();
    }
    long pcs;
    long pcsEnd;
    long data;
    long metadata;
    if (o.immutableData >= 0) { // JDK 25: debug info out of the code cache
      long imm = nm.getLong((int) o.immutableData);
      pcs = imm + nm.getInt((int) o.scopesPcsOffset);
      pcsEnd = imm + nm.getInt((int) o.scopesDataOffset);
      data = pcsEnd;
      metadata = nm.getLong((int) o.mutableData) + nm.getInt((int) o.relocationSize);
    } else { // JDK 17, 21: inside the nmethod
      pcs = b.address() + nm.getInt((int) o.scopesPcsOffset);
      pcsEnd = b.address() + nm.getInt((int) o.dependenciesOffset);
      data = nm.getLong((int) o.scopesDataBegin);
      metadata = b.address() + nm.getInt((int) o.metadataOffset);
    }
    long count = (pcsEnd - pcs) / 16;
    if (count <= 0 || count > 100_000) {
      return List.of();
    }
    ByteBuffer table = mem.read(pcs, (int) count * 16);
    if (table == null) {
      return List.of();
    }
    long offset = pc - b.codeBegin();
    int decode = -1;
    for (int i = 0; i < count; i++) {
      if (table.getInt(i * 16) >= offset) {
        decode = table.getInt(i * 16 + 4);
        break;
      }
    }
    List<Scope> out = new ArrayList<>();
    for (int depth = 0; decode > 0 && depth < 64; depth++) {
      ByteBuffer stream = mem.read(data + decode, 16);
      if (stream == null) {
        break;
      }
      CompressedInts in = new CompressedInts(stream, unsigned5);
      int sender = in.next();
      int methodIndex = in.next();
      int bci = in.next() - 1; // InvocationEntryBci is -1
      long method = methodIndex <= 0 ? 0 : mem.word(metadata + (methodIndex - 1) * 8L);
      if (method == 0) {
        break;
      }
      out.add(new Scope(method, bci));
      decode = sender;
    }
    return List.copyOf(out);
  }

  /**
   * The source line of {@code bci} in {@code method}, from the method's compressed line number
   * table (right after its bytecodes), or 0 when it has none or it cannot be read.
   */
  public synchronized int line(long method, int bci) {
    if (method == 0 || bci < 0) {
      return 0;
    }
    long key = method * 31 + bci;
    Integer known = lines.get(key);
    if (known != null) {
      return known;
    }
    int line = readLine(method, bci);
    lines.put(key, line);
    return line;
  }

  private int readLine(long method, int bci) {
    long constMethod = mem.word(method + o.methodConstMethod);
    if (constMethod == 0 || o.constMethodFlags < 0 || o.constMethodCodeSize < 0) {
      return 0;
    }
    ByteBuffer flags = mem.read(constMethod + o.constMethodFlags, 4);
    ByteBuffer size = mem.read(constMethod + o.constMethodCodeSize, 2);
    if (flags == null || size == null || (flags.getInt(0) & o.hasLineNumberTable) == 0) {
      return 0;
    }
    long table = constMethod + o.constMethodSize + (size.getShort(0) & 0xffff);
    ByteBuffer b = mem.read(table, 512);
    if (b == null) {
      return 0;
    }
    CompressedInts ints = new CompressedInts(b, unsigned5);
    int at = 0;
    int line = 0;
    int best = 0;
    while (b.hasRemaining()) {
      int next = b.get() & 0xff;
      if (next == 0) {
        break;
      }
      if (next == 0xff) {
        at += signed(ints.next());
        line += signed(ints.next());
      } else {
        at += next >> 3;
        line += next & 7;
      }
      if (at > bci) {
        break;
      }
      best = line;
    }
    return best;
  }

  private static int signed(int v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** The bytecode index of an interpreted frame's bytecode pointer, or -1. */
  public int bci(long method, long bcp) {
    long constMethod = mem.word(method + o.methodConstMethod);
    if (constMethod == 0 || bcp == 0) {
      return -1;
    }
    long bci = bcp - (constMethod + o.constMethodSize);
    return bci >= 0 && bci < 65536 ? (int) bci : -1;
  }

  private @Nullable String symbol(long symbol) {
    if (symbol == 0) {
      return null;
    }
    ByteBuffer len = mem.read(symbol + o.symbolLength, 2);
    if (len == null) {
      return null;
    }
    int n = len.getShort(0) & 0xffff;
    ByteBuffer body = mem.read(symbol + o.symbolBody, n);
    if (body == null) {
      return null;
    }
    byte[] bytes = new byte[n];
    body.get(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static <V> Map<Long, V> lru() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
        return size() > MAX_CACHED;
      }
    };
  }

  @Override
  public void close() {
    mem.close();
  }

  /** The offsets this JVM's VMStructs give, with the JDK 17 and JDK 25 spellings. */
  private static final class Offsets {
    final long heapBlockSize;
    final long heapBlockUsed;
    final long blobName;
    final long blobFrameSize;
    final long blobCodeBegin;
    final long blobCodeOffset;
    final long blobFrameComplete;
    final boolean frameCompleteIsShort;
    final long blobKind;
    final long kindNmethod;
    final long nmethodMethod;
    final long blobBytes;
    final long methodConstMethod;
    final long constMethodConstants;
    final long constMethodNameIndex;
    final long constMethodSignatureIndex;
    final long constMethodSize;
    final long cpPoolHolder;
    final long cpSize;
    final long klassName;
    final long symbolLength;
    final long symbolBody;
    final long nmethodBytes;
    final long constMethodFlags;
    final long constMethodCodeSize;
    final long hasLineNumberTable;
    final long immutableData;
    final long scopesPcsOffset;
    final long scopesDataOffset;
    final long mutableData;
    final long relocationSize;
    final long dependenciesOffset;
    final long scopesDataBegin;
    final long metadataOffset;

    Offsets(VmStructs vm) {
      heapBlockSize = vm.size("HeapBlock");
      heapBlockUsed = vm.field("HeapBlock::Header", "_used");
      blobName = vm.field("CodeBlob", "_name");
      blobFrameSize = vm.field("CodeBlob", "_frame_size");
      blobCodeBegin = vm.field("CodeBlob", "_code_begin");
      blobCodeOffset = vm.field("CodeBlob", "_code_offset");
      blobFrameComplete = vm.field("CodeBlob", "_frame_complete_offset");
      frameCompleteIsShort = vm.field("CodeBlob", "_kind") >= 0; // int16_t since the kind field
      blobKind = vm.field("CodeBlob", "_kind");
      kindNmethod = vm.intConstant("CodeBlobKind::Nmethod", 1);
      long m = vm.field("nmethod", "_method");
      nmethodMethod = m >= 0 ? m : vm.field("CompiledMethod", "_method");
      blobBytes = Math.max(vm.size("CodeBlob"), 64);
      methodConstMethod = vm.field("Method", "_constMethod");
      constMethodConstants = vm.field("ConstMethod", "_constants");
      constMethodNameIndex = vm.field("ConstMethod", "_name_index");
      constMethodSignatureIndex = vm.field("ConstMethod", "_signature_index");
      constMethodSize = vm.size("ConstMethod");
      cpPoolHolder = vm.field("ConstantPool", "_pool_holder");
      cpSize = vm.size("ConstantPool");
      klassName = vm.field("Klass", "_name");
      symbolLength = vm.field("Symbol", "_length");
      symbolBody = vm.field("Symbol", "_body");
      nmethodBytes = Math.max(vm.size("nmethod"), 256);
      long f = vm.field("ConstMethod", "_flags._flags"); // JDK 21+: u4 ConstMethodFlags
      constMethodFlags = f >= 0 ? f : vm.field("ConstMethod", "_flags"); // JDK 17: u2
      constMethodCodeSize = vm.field("ConstMethod", "_code_size");
      hasLineNumberTable = vm.intConstant("ConstMethodFlags::_misc_has_linenumber_table", 1);
      immutableData = vm.field("nmethod", "_immutable_data");
      scopesPcsOffset = vm.field("nmethod", "_scopes_pcs_offset");
      scopesDataOffset = vm.field("nmethod", "_scopes_data_offset");
      mutableData = vm.field("CodeBlob", "_mutable_data");
      relocationSize = vm.field("CodeBlob", "_relocation_size");
      dependenciesOffset = vm.field("nmethod", "_dependencies_offset");
      scopesDataBegin = vm.field("CompiledMethod", "_scopes_data_begin");
      metadataOffset = vm.field("nmethod", "_metadata_offset");
    }
  }
}
