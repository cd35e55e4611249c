package dev.hearth.agent.python;

import dev.hearth.agent.bpf.BpfLayouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;

/**
 * The {@code py_procs} map value of one Python process ({@code struct py_proc}, {@code python.h}).
 */
final class PyProc {
  private static final StructLayout L = BpfLayouts.PY_PROC;

  private PyProc() {}

  /** The map value for a process whose {@code _PyRuntime} is at {@code runtime}. */
  static MemorySegment of(SegmentAllocator allocator, long runtime, PythonLayout l) {
    MemorySegment s = allocator.allocate(L);
    BpfLayouts.set(s, L, "runtime", runtime);
    BpfLayouts.set(s, L, "interp_head", l.runtimeInterpHead());
    BpfLayouts.set(s, L, "threads_head", l.interpThreadsHead());
    BpfLayouts.set(s, L, "tstate_next", l.tstateNext());
    BpfLayouts.set(s, L, "tstate_thread_id", l.tstateThreadId());
    BpfLayouts.set(s, L, "tstate_frame", l.tstateFrame());
    BpfLayouts.set(s, L, "cframe_frame", l.cframeFrame());
    BpfLayouts.set(s, L, "frame_code", l.frameCode());
    BpfLayouts.set(s, L, "frame_previous", l.framePrevious());
    BpfLayouts.set(s, L, "frame_instr", l.frameInstr());
    BpfLayouts.set(s, L, "frame_owner", l.frameOwner());
    BpfLayouts.set(s, L, "frame_is_entry", l.frameIsEntry());
    return s;
  }
}
