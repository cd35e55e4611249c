package dev.hearth.agent.unwind;

import dev.hearth.agent.symbol.ObjectFile;
import org.jspecify.annotations.Nullable;

/**
 * One user-space frame as the unwinder found it.
 *
 * @param pc the instruction pointer (leaf) or return address (callers)
 * @param lookup the address to name: {@code pc} for the leaf, {@code pc - 1} for callers (inside
 *     the call instruction)
 * @param entry the executable mapping containing it, or null
 * @param object the ELF file behind the mapping, or null (JIT code, unreadable files)
 * @param address {@code lookup} as a virtual address of {@code object}, or -1
 * @param jvmKind a HotSpot frame: {@code JVM_COMPILED}, {@code JVM_INTERPRETED}, {@code JVM_STUB};
 *     0 for native code
 * @param jvmMethod the frame's {@code Method*} (compiled, interpreted), or 0
 * @param jvmBci interpreted frames: the bytecode index at the sample, else -1
 */
public record Frame(
    long pc,
    long lookup,
    ProcessMaps.@Nullable Entry entry,
    @Nullable ObjectFile object,
    long address,
    int jvmKind,
    long jvmMethod,
    int jvmBci) {
  public static final int JVM_COMPILED = 1;
  public static final int JVM_INTERPRETED = 2;
  public static final int JVM_STUB = 3;

  /** A native frame. */
  public Frame(
      long pc,
      long lookup,
      ProcessMaps.@Nullable Entry entry,
      @Nullable ObjectFile object,
      long address) {
    this(pc, lookup, entry, object, address, 0, 0, -1);
  }
}
