package dev.hearth.agent.python;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where one CPython version (x86-64) keeps what the agent reads: the thread-state list and frame
 * chain (walked by the BPF program, {@code struct py_proc} in {@code python.h}) and the code-object
 * fields (read in user space). Each value is an {@code offsetof} or {@code sizeof} in that
 * version's own headers; {@code PythonLayoutTest} compiles {@code src/test/c/pyoffsets.c} against
 * every installed version and compares. {@link #NONE} marks a field the version does not have.
 */
public record PythonLayout(
    String version,
    int runtimeInterpHead,
    int interpThreadsHead,
    int tstateNext,
    int tstateThreadId,
    int tstateFrame,
    int cframeFrame,
    int frameCode,
    int framePrevious,
    int frameInstr,
    int frameOwner,
    int frameIsEntry,
    int codeFilename,
    int codeName,
    int codeQualname,
    int codeLinetable,
    int codeUnits,
    int codeFirstlineno,
    int bytesData,
    int asciiSize,
    int compactSize) {

  /** An offset that does not apply ({@code PY_NONE}). */
  public static final int NONE = 0xffff;

  private static final Map<String, PythonLayout> KNOWN =
      Map.of(
          "3.9",
          new PythonLayout(
              "3.9", 32, 8, 8, 176, 24, NONE, 32, 24, 104, NONE, NONE, 104, 112, 112, 120, NONE, 40,
              32, 48, 72),
          "3.10",
          new PythonLayout(
              "3.10", 32, 8, 8, 176, 24, NONE, 32, 24, 96, NONE, NONE, 104, 112, 112, 120, NONE, 40,
              32, 48, 72),
          "3.11",
          new PythonLayout(
              "3.11", 40, 16, 8, 152, 56, 8, 32, 48, 56, 69, 68, 112, 120, 128, 136, 184, 72, 32,
              48, 72),
          "3.12",
          new PythonLayout(
              "3.12", 40, 72, 8, 136, 56, 0, 0, 8, 56, 70, NONE, 112, 120, 128, 136, 192, 68, 32,
              40, 56),
          "3.13",
          new PythonLayout(
              "3.13", 632, 7344, 8, 152, 72, NONE, 0, 8, 56, 70, NONE, 112, 120, 128, 136, 200, 68,
              32, 40, 56));

  /** The layout of a {@code major.minor} version, or null if the agent does not know it. */
  public static @Nullable PythonLayout of(String version) {
    return KNOWN.get(version);
  }

  /** The versions the agent reads. */
  public static java.util.Set<String> versions() {
    return new java.util.TreeSet<>(KNOWN.keySet());
  }

  /** 3.9 and 3.10: one {@code PyFrameObject} per Python call, f_lasti instead of a pointer. */
  public boolean frameObjects() {
    return codeUnits == NONE;
  }

  /** The minor version: 9 for 3.9. */
  public int minor() {
    return Integer.parseInt(version.substring(version.indexOf('.') + 1));
  }

  /** Every offset under the name {@code pyoffsets.c} prints. */
  public Map<String, Integer> asMap() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("runtime_interp_head", runtimeInterpHead);
    m.put("interp_threads_head", interpThreadsHead);
    m.put("tstate_next", tstateNext);
    m.put("tstate_thread_id", tstateThreadId);
    m.put("tstate_frame", tstateFrame);
    m.put("cframe_frame", cframeFrame);
    m.put("frame_code", frameCode);
    m.put("frame_previous", framePrevious);
    m.put("frame_instr", frameInstr);
    m.put("frame_owner", frameOwner);
    m.put("frame_is_entry", frameIsEntry);
    m.put("code_filename", codeFilename);
    m.put("code_name", codeName);
    m.put("code_qualname", codeQualname);
    m.put("code_linetable", codeLinetable);
    m.put("code_units", codeUnits);
    m.put("code_firstlineno", codeFirstlineno);
    m.put("bytes_data", bytesData);
    m.put("ascii_size", asciiSize);
    m.put("compact_size", compactSize);
    return m;
  }
}
