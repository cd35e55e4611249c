package dev.hearth.agent.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One sample as the BPF programs write it ({@code struct cpu_sample} in {@code profile.h}), copied
 * out of the ring buffer: a CPU sample, or an off-CPU, allocation, free or block-IO event with the
 * same stack fields, so one unwinder serves every kind.
 *
 * @param pid process (tgid)
 * @param tid thread
 * @param bootNanos when, CLOCK_BOOTTIME nanoseconds
 * @param cgroupId the thread's cgroup v2 id
 * @param ip user instruction pointer (0 for kernel threads)
 * @param sp user stack pointer
 * @param bp user frame pointer register
 * @param kind one of the {@code KIND_} constants
 * @param period allocations: the byte-sampling interval in force when sampled
 * @param value off-CPU: nanoseconds blocked; allocation: bytes; block IO: bytes
 * @param value2 allocation and free: the address; block IO: nanoseconds to completion
 * @param comm the thread's name
 * @param kernelStack kernel return addresses, leaf first; empty when the sample hit user code
 * @param userStack the copy of user memory from {@code sp} upwards
 * @param langKind {@code LANG_PYTHON} when {@code langFrames} holds CPython frames, else 0
 * @param langFrames interpreter frames read at the sample, leaf first: per frame two words, the
 *     code object (low bits flag entry and shim frames) and the instruction pointer
 */
public record CpuSample(
    int pid,
    int tid,
    long bootNanos,
    long cgroupId,
    long ip,
    long sp,
    long bp,
    int kind,
    int period,
    long value,
    long value2,
    String comm,
    long[] kernelStack,
    byte[] userStack,
    int langKind,
    long[] langFrames) {

  private static final java.lang.foreign.StructLayout L = BpfLayouts.CPU_SAMPLE;
  static final int OFF_KSTACK_LEN = BpfLayouts.offset(L, "kstack_len");
  static final int OFF_USTACK_LEN = BpfLayouts.offset(L, "ustack_len");
  static final int OFF_VALUE = BpfLayouts.offset(L, "value");
  static final int OFF_VALUE2 = BpfLayouts.offset(L, "value2");
  static final int OFF_KIND = BpfLayouts.offset(L, "kind");
  static final int OFF_PERIOD = BpfLayouts.offset(L, "period");
  static final int OFF_COMM = BpfLayouts.offset(L, "comm");
  static final int OFF_KSTACK = BpfLayouts.offset(L, "kstack");
  static final int KSTACK_DEPTH = 64;
  static final int OFF_LANG_LEN = BpfLayouts.offset(L, "lang_len");
  static final int OFF_LANG_KIND = BpfLayouts.offset(L, "lang_kind");
  static final int OFF_LANG = BpfLayouts.offset(L, "lang");
  static final int LANG_DEPTH = 128;
  static final int OFF_USTACK = BpfLayouts.offset(L, "ustack");
  static final int USTACK_MAX = 16384;

  /** {@code langFrames} holds CPython frames. */
  public static final int LANG_PYTHON = 1;

  /** The record's size in bytes, {@code sizeof(struct cpu_sample)}. */
  public static final int SIZE = (int) L.byteSize();

  public static final int KIND_CPU = 0;
  public static final int KIND_OFF_CPU = 1;
  public static final int KIND_ALLOC = 2;
  public static final int KIND_FREE = 3;
  public static final int KIND_BLOCK_IO = 4;
  public static final int KIND_BLOCK_IO_DONE = 5;

  /** A header-only record (a free): everything before the kernel stack. */
  public static final int HEADER_SIZE = OFF_KSTACK;

  private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

  /** Copies a record out of ring-buffer memory. */
  public static CpuSample read(MemorySegment r) {
    boolean full = r.byteSize() >= SIZE;
    int klen = full ? Math.min(r.get(U32, OFF_KSTACK_LEN), KSTACK_DEPTH * 8) : 0;
    int ulen = full ? Math.min(r.get(U32, OFF_USTACK_LEN), USTACK_MAX) : 0;
    long[] kstack = new long[klen / 8];
    byte[] ustack = new byte[ulen];
    if (full) {
      MemorySegment.copy(r, U64, OFF_KSTACK, kstack, 0, kstack.length);
      MemorySegment.copy(r, ValueLayout.JAVA_BYTE, OFF_USTACK, ustack, 0, ulen);
    }
    int langLen = full ? Math.min(r.get(U32, OFF_LANG_LEN), LANG_DEPTH) : 0;
    long[] lang = new long[langLen * 2];
    if (langLen > 0) {
      MemorySegment.copy(r, U64, OFF_LANG, lang, 0, lang.length);
    }
    byte[] comm = new byte[16];
    MemorySegment.copy(r, ValueLayout.JAVA_BYTE, OFF_COMM, comm, 0, 16);
    int n = 0;
    while (n < comm.length && comm[n] != 0) {
      n++;
    }
    return new CpuSample(
        r.get(U32, BpfLayouts.offset(L, "pid")),
        r.get(U32, BpfLayouts.offset(L, "tid")),
        r.get(U64, BpfLayouts.offset(L, "ts")),
        r.get(U64, BpfLayouts.offset(L, "cgroup_id")),
        r.get(U64, BpfLayouts.offset(L, "ip")),
        r.get(U64, BpfLayouts.offset(L, "sp")),
        r.get(U64, BpfLayouts.offset(L, "bp")),
        r.get(U32, OFF_KIND),
        r.get(U32, OFF_PERIOD),
        r.get(U64, OFF_VALUE),
        r.get(U64, OFF_VALUE2),
        new String(comm, 0, n, StandardCharsets.UTF_8),
        kstack,
        ustack,
        full ? r.get(U32, OFF_LANG_KIND) : 0,
        lang);
  }

  /** Reads the 8 bytes of user memory at {@code address} from the copy, or -1 if outside it. */
  public long userWord(long address) {
    long off = address - sp;
    if (off < 0 || off + 8 > userStack.length) {
      return -1;
    }
    int o = (int) off;
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (userStack[o + i] & 0xff);
    }
    return v;
  }

  /** Whether {@code address} lies in the copied stack bytes. */
  public boolean inUserStack(long address) {
    long off = address - sp;
    return off >= 0 && off + 8 <= userStack.length;
  }
}
