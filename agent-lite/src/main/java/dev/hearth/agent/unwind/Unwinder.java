package dev.hearth.agent.unwind;

import dev.hearth.agent.bpf.CpuSample;
import dev.hearth.agent.elf.CfaRule;
import dev.hearth.agent.hotspot.HotSpotProcess;
import dev.hearth.agent.hotspot.JvmFrames;
import dev.hearth.agent.symbol.ObjectFile;
import dev.hearth.agent.symbol.ObjectFiles;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Walks a sampled user stack: for code with {@code .eh_frame} CFI it applies the CFA rules (the
 * return address at {@code CFA-8}, {@code rbp} restored where saved); for code without CFI — JIT
 * code and the odd hand-written function — it follows frame pointers. Reads come only from the
 * stack bytes the BPF program copied; a walk stops where those end.
 */
public final class Unwinder {
  /** Deepest user stack kept. */
  public static final int MAX_FRAMES = 128;

  private final Processes processes;
  private final ObjectFiles objects;

  public Unwinder(Processes processes, ObjectFiles objects) {
    this.processes = processes;
    this.objects = objects;
  }

  /** The user frames of a sample, leaf first; empty for kernel threads. */
  public List<Frame> unwind(CpuSample s, ProcessInfo process) {
    return unwind(s, process, null);
  }

  /**
   * The user frames of a sample, leaf first; with {@code jvm}, frames in its code cache are walked
   * the way HotSpot itself walks them (compiled: frame size; interpreted: rbp).
   */
  public List<Frame> unwind(CpuSample s, ProcessInfo process, @Nullable HotSpotProcess jvm) {
    List<Frame> frames = new ArrayList<>();
    if (s.ip() == 0) {
      return frames;
    }
    long pc = s.ip();
    long sp = s.sp();
    long bp = s.bp();
    boolean refreshed = false;
    for (int depth = 0; depth < MAX_FRAMES; depth++) {
      long lookup = depth == 0 ? pc : pc - 1;
      ProcessMaps.Entry entry = process.maps().find(lookup);
      if (entry == null && depth == 0 && !refreshed) {
        // Only the sampled ip is certain to be code; a caller's address may be a bad frame's junk.
        refreshed = processes.refresh(process);
        entry = process.maps().find(lookup);
      }
      if (jvm != null && (entry == null || !entry.isFile()) && jvm.inCodeCache(lookup)) {
        long[] next = JvmFrames.step(jvm, s, depth, pc, lookup, sp, bp, entry, frames);
        if (next == null) {
          break;
        }
        if (next[0] == 0 || Long.compareUnsigned(next[1], sp) <= 0) {
          break;
        }
        pc = next[0];
        sp = next[1];
        bp = next[2];
        continue;
      }
      ObjectFile object = null;
      long address = -1;
      if (entry != null && entry.isFile()) {
        object = objects.get(process.pid(), entry.path(), entry.inodeKey());
        if (object != null) {
          address = object.address(lookup - entry.start() + entry.offset());
        }
      }
      frames.add(new Frame(pc, lookup, entry, object, address));

      CfaRule rule = object != null && address >= 0 ? object.cfi().ruleAt(address) : null;
      long nextPc;
      long nextSp;
      long nextBp;
      if (rule != null) {
        if (rule.raUndefined()) {
          break; // the outermost frame (_start, clone3)
        }
        long cfa;
        if (rule.cfaExpression() != null) {
          cfa = evaluate(rule.cfaExpression(), s, pc, sp, bp);
        } else if (rule.cfaRegister() == CfaRule.RSP) {
          cfa = sp + rule.cfaOffset();
        } else if (rule.cfaRegister() == CfaRule.RBP) {
          cfa = bp + rule.cfaOffset();
        } else {
          break;
        }
        if (cfa == -1 || !s.inUserStack(cfa + rule.raOffset())) {
          break;
        }
        nextPc = s.userWord(cfa + rule.raOffset());
        nextBp =
            rule.bpSaved() && s.inUserStack(cfa + rule.bpOffset())
                ? s.userWord(cfa + rule.bpOffset())
                : bp;
        nextSp = cfa;
      } else {
        // Frame pointers: [bp] is the caller's bp, [bp + 8] the return address.
        if (Long.compareUnsigned(bp, sp) < 0 || !s.inUserStack(bp + 8)) {
          break;
        }
        nextPc = s.userWord(bp + 8);
        nextBp = s.userWord(bp);
        nextSp = bp + 16;
      }
      if (nextPc == 0 || Long.compareUnsigned(nextSp, sp) <= 0) {
        break; // end of the chain, or a loop
      }
      pc = nextPc;
      sp = nextSp;
      bp = nextBp;
    }
    return frames;
  }

  /**
   * Evaluates a CFA expression: the few DWARF operations compilers emit for x86-64 CFAs (PLT stubs:
   * {@code rsp + 8 + ((rip & 15) >= 11 ? 8 : 0)}). Returns -1 when it uses anything else.
   */
  static long evaluate(byte[] expr, CpuSample s, long pc, long sp, long bp) {
    long[] stack = new long[16];
    int top = -1;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(expr);
    try {
      while (b.hasRemaining()) {
        int op = b.get() & 0xff;
        if (op >= 0x30 && op <= 0x4f) {
          stack[++top] = op - 0x30; // DW_OP_lit<n>
        } else if (op >= 0x70 && op <= 0x8f) {
          int reg = op - 0x70; // DW_OP_breg<n>
          long offset = sleb(b);
          long base =
              reg == CfaRule.RSP ? sp : reg == CfaRule.RBP ? bp : reg == CfaRule.RIP ? pc : -1;
          if (base == -1 && reg != CfaRule.RIP) {
            return -1;
          }
          stack[++top] = base + offset;
        } else {
          switch (op) {
            case 0x06 -> {
              long v = s.userWord(stack[top]); // deref
              if (!s.inUserStack(stack[top])) {
                return -1;
              }
              stack[top] = v;
            }
            case 0x08 -> stack[++top] = b.get() & 0xff; // const1u
            case 0x09 -> stack[++top] = b.get(); // const1s
            case 0x10 -> stack[++top] = uleb(b); // constu
            case 0x11 -> stack[++top] = sleb(b); // consts
            case 0x1a -> { // and
              stack[top - 1] &= stack[top];
              top--;
            }
            case 0x1c -> { // minus
              stack[top - 1] -= stack[top];
              top--;
            }
            case 0x21 -> { // or
              stack[top - 1] |= stack[top];
              top--;
            }
            case 0x22 -> { // plus
              stack[top - 1] += stack[top];
              top--;
            }
            case 0x23 -> stack[top] += uleb(b); // plus_uconst
            case 0x24 -> { // shl
              stack[top - 1] <<= stack[top];
              top--;
            }
            case 0x25 -> { // shr
              stack[top - 1] >>>= stack[top];
              top--;
            }
            case 0x2a -> { // ge
              stack[top - 1] = stack[top - 1] >= stack[top] ? 1 : 0;
              top--;
            }
            case 0x2d -> { // lt
              stack[top - 1] = stack[top - 1] < stack[top] ? 1 : 0;
              top--;
            }
            default -> {
              return -1;
            }
          }
        }
      }
    } catch (RuntimeException e) {
      return -1;
    }
    return top >= 0 ? stack[top] : -1;
  }

  private static long uleb(java.nio.ByteBuffer b) {
    long result = 0;
    int shift = 0;
    int x;
    do {
      x = b.get() & 0xff;
      result |= (long) (x & 0x7f) << shift;
      shift += 7;
    } while ((x & 0x80) != 0 && shift < 64);
    return result;
  }

  private static long sleb(java.nio.ByteBuffer b) {
    long result = 0;
    int shift = 0;
    int x;
    do {
      x = b.get() & 0xff;
      result |= (long) (x & 0x7f) << shift;
      shift += 7;
    } while ((x & 0x80) != 0 && shift < 64);
    if (shift < 64 && (x & 0x40) != 0) {
      result |= -1L << shift;
    }
    return result;
  }
}
