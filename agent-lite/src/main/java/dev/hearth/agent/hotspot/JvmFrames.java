package dev.hearth.agent.hotspot;

import dev.hearth.agent.bpf.CpuSample;
import dev.hearth.agent.unwind.Frame;
import dev.hearth.agent.unwind.ProcessMaps;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One unwind step through HotSpot code, as {@code frame::sender} does it, reading only the stack
 * copy of the sample. Compiled frames and runtime stubs: the caller's sp is {@code sp + frame
 * size}, the return address and saved rbp sit just below it. Interpreted frames (x86-64 layout):
 * rbp-based, {@code Method*} at rbp-3 words, bcp at rbp-8, the sender's sp at rbp-1. Other stubs
 * (the call stub that enters Java from the VM): rbp-based.
 */
public final class JvmFrames {
  static final int METHOD_OFFSET = -3 * 8;
  static final int BCP_OFFSET = -8 * 8;
  static final int SENDER_SP_OFFSET = -1 * 8;

  private JvmFrames() {}

  /**
   * Adds the frame at {@code pc} to {@code frames} and returns the caller's {pc, sp, bp}, or null
   * when the walk cannot continue.
   */
  public static long @Nullable [] step(
      HotSpotProcess jvm,
      CpuSample s,
      int depth,
      long pc,
      long lookup,
      long sp,
      long bp,
      ProcessMaps.@Nullable Entry entry,
      List<Frame> frames) {
    HotSpotProcess.Blob b = jvm.blob(lookup);
    if (b == null) {
      return null;
    }
    switch (b.kind()) {
      case COMPILED -> {
        frames.add(new Frame(pc, lookup, entry, null, -1, Frame.JVM_COMPILED, b.method(), -1));
        if (depth == 0 && b.frameComplete() > 0 && pc - b.codeBegin() < b.frameComplete()) {
          return prologue(jvm, s, sp, bp);
        }
        return bySize(s, sp, b.frameSize());
      }
      case INTERPRETER -> {
        if (!s.inUserStack(bp + 8) || !s.inUserStack(bp + BCP_OFFSET)) {
          return null;
        }
        long method = s.userWord(bp + METHOD_OFFSET);
        long bcp = s.userWord(bp + BCP_OFFSET);
        frames.add(
            new Frame(
                pc, lookup, entry, null, -1, Frame.JVM_INTERPRETED, method, jvm.bci(method, bcp)));
        return new long[] {s.userWord(bp + 8), s.userWord(bp + SENDER_SP_OFFSET), s.userWord(bp)};
      }
      default -> {
        frames.add(new Frame(pc, lookup, entry, null, -1, Frame.JVM_STUB, 0, -1));
        if (b.frameSize() > 0) {
          return bySize(s, sp, b.frameSize());
        }
        if (!s.inUserStack(bp + 8)) {
          return null;
        }
        return new long[] {s.userWord(bp + 8), bp + 16, s.userWord(bp)};
      }
    }
  }

  private static long @Nullable [] bySize(CpuSample s, long sp, int frameSize) {
    long callerSp = sp + frameSize * 8L;
    if (frameSize <= 0 || !s.inUserStack(callerSp - 8)) {
      return null;
    }
    return new long[] {s.userWord(callerSp - 8), callerSp, s.userWord(callerSp - 16)};
  }

  /**
   * A sample in a compiled method's prologue: the frame is not set up yet, so the return address is
   * at sp (before {@code push rbp}) or sp+8 (after it).
   */
  private static long @Nullable [] prologue(HotSpotProcess jvm, CpuSample s, long sp, long bp) {
    long atSp = s.userWord(sp);
    if (atSp != -1 && jvm.inCodeCache(atSp)) {
      return new long[] {atSp, sp + 8, bp};
    }
    long above = s.userWord(sp + 8);
    if (above != -1) {
      return new long[] {above, sp + 16, s.userWord(sp)};
    }
    return null;
  }
}
