package dev.hearth.agent.python;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/** Java side of {@code struct py_proc} ({@code python.h}): one map value per Python process. */
public final class PyProc {
  private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT;

  /** The C struct, field by field; {@code RecordLayoutTest} compares it with the header. */
  public static final StructLayout LAYOUT =
      MemoryLayout.structLayout(
          ValueLayout.JAVA_LONG.withName("runtime"),
          U16.withName("interp_head"),
          U16.withName("threads_head"),
          U16.withName("tstate_next"),
          U16.withName("tstate_thread_id"),
          U16.withName("tstate_frame"),
          U16.withName("cframe_frame"),
          U16.withName("frame_code"),
          U16.withName("frame_previous"),
          U16.withName("frame_instr"),
          U16.withName("frame_owner"),
          U16.withName("frame_is_entry"),
          U16.withName("reserved"));

  private PyProc() {}

  /** The map value for a process whose {@code _PyRuntime} is at {@code runtime}. */
  public static MemorySegment of(SegmentAllocator allocator, long runtime, PythonLayout l) {
    MemorySegment s = allocator.allocate(LAYOUT);
    s.set(ValueLayout.JAVA_LONG, offset("runtime"), runtime);
    put(s, "interp_head", l.runtimeInterpHead());
    put(s, "threads_head", l.interpThreadsHead());
    put(s, "tstate_next", l.tstateNext());
    put(s, "tstate_thread_id", l.tstateThreadId());
    put(s, "tstate_frame", l.tstateFrame());
    put(s, "cframe_frame", l.cframeFrame());
    put(s, "frame_code", l.frameCode());
    put(s, "frame_previous", l.framePrevious());
    put(s, "frame_instr", l.frameInstr());
    put(s, "frame_owner", l.frameOwner());
    put(s, "frame_is_entry", l.frameIsEntry());
    return s;
  }

  private static void put(MemorySegment s, String field, int value) {
    s.set(U16, offset(field), (short) value);
  }

  private static long offset(String field) {
    return LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field));
  }
}
