package dev.hearth.agent.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The FFM plumbing shared by the bindings: the linker, libc, errno capture and {@code strerror}.
 * Every downcall captures errno, so a failure can always say why.
 */
final class Native {
  static final Linker LINKER = Linker.nativeLinker();
  static final SymbolLookup LIBC = LINKER.defaultLookup();
  static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
  static final MemorySegment NULL = MemorySegment.NULL;

  private static final MethodHandle STRERROR =
      LINKER.downcallHandle(
          LIBC.findOrThrow("strerror"),
          FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

  private Native() {}

  /** A downcall into {@code lookup} that captures errno into its first argument. */
  static MethodHandle downcall(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(
        lookup.findOrThrow(name), descriptor, Linker.Option.captureCallState("errno"));
  }

  /** A buffer for one call's captured errno. */
  static MemorySegment errnoBuffer(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  static int errno(MemorySegment captured) {
    return (int) ERRNO.get(captured, 0L);
  }

  /** The C library's text for an errno value. */
  static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
      return text.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }
}
