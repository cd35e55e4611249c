package dev.hearth.agent.python;

import dev.hearth.model.Location;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Puts a sample's Python frames where the interpreter ran them: each native {@code
 * _PyEval_EvalFrameDefault} frame is replaced by the Python frames that invocation of the loop
 * executed — up to the entry frame (3.11), up to the C-stack shim frame (3.12+), or exactly one
 * (3.9, 3.10: one loop invocation per Python call). Python frames left over (the native walk ended
 * early) go after the last replaced loop frame, or at the root end if none was found, so the stack
 * still reaches {@code <module>}.
 */
public final class PythonStacks {
  static final String EVAL = "_PyEval_EvalFrameDefault";
  static final long ENTRY = 1;
  static final long SHIM = 2;

  private PythonStacks() {}

  /**
   * The user part of a stack, leaf first, with Python frames merged in.
   *
   * @param nativeLeafFirst the native user frames, leaf first
   * @param lang the recorded (code word, instruction) pairs, leaf first
   */
  public static List<Location> merge(
      List<Location> nativeLeafFirst, long[] lang, PythonProcess python) {
    List<Location> out = new ArrayList<>(nativeLeafFirst.size() + lang.length / 2);
    boolean oneEach = python.layout().frameObjects();
    boolean shims = python.layout().frameOwner() != PythonLayout.NONE;
    int next = 0;
    int insertAt = -1;
    for (Location l : nativeLeafFirst) {
      if (!isEval(l) || next * 2 >= lang.length) {
        out.add(l);
        continue;
      }
      int emitted = 0;
      while (next * 2 < lang.length) {
        long code = lang[next * 2];
        long instr = lang[next * 2 + 1];
        next++;
        if (shims && (code & SHIM) != 0) {
          if (emitted > 0) {
            break;
          }
          continue;
        }
        add(out, python.location(code, instr));
        emitted++;
        if (oneEach || (!shims && (code & ENTRY) != 0)) {
          break;
        }
      }
      insertAt = out.size();
    }
    List<Location> rest = new ArrayList<>();
    for (; next * 2 < lang.length; next++) {
      long code = lang[next * 2];
      if (!(shims && (code & SHIM) != 0)) {
        add(rest, python.location(code, lang[next * 2 + 1]));
      }
    }
    out.addAll(insertAt < 0 ? out.size() : insertAt, rest);
    return out;
  }

  private static void add(List<Location> out, @Nullable Location l) {
    if (l != null) {
      out.add(l);
    }
  }

  private static boolean isEval(Location l) {
    return !l.lines().isEmpty() && l.lines().get(0).function().name().startsWith(EVAL);
  }
}
