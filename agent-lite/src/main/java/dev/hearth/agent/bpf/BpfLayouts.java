package dev.hearth.agent.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * The Java side of every struct the BPF programs share with the agent ({@code
 * bpf/src/main/bpf/*.h}), member by member under the C names. {@code RecordLayoutTest} compiles the
 * headers and fails when any offset or size here disagrees with the C compiler's; code reads and
 * writes through {@link #offset} and {@link #set}, never through hand-written byte offsets.
 */
public final class BpfLayouts {
  private BpfLayouts() {}

  /** {@code struct lang_frame} ({@code profile.h}). */
  public static final StructLayout LANG_FRAME =
      MemoryLayout.structLayout(JAVA_LONG.withName("code"), JAVA_LONG.withName("instr"));

  /** {@code struct cpu_sample} ({@code profile.h}): one ring-buffer record. */
  public static final StructLayout CPU_SAMPLE =
      MemoryLayout.structLayout(
          JAVA_INT.withName("pid"),
          JAVA_INT.withName("tid"),
          JAVA_LONG.withName("ts"),
          JAVA_LONG.withName("cgroup_id"),
          JAVA_LONG.withName("ip"),
          JAVA_LONG.withName("sp"),
          JAVA_LONG.withName("bp"),
          JAVA_INT.withName("kstack_len"),
          JAVA_INT.withName("ustack_len"),
          JAVA_INT.withName("cpu"),
          JAVA_INT.withName("flags"),
          JAVA_LONG.withName("value"),
          JAVA_LONG.withName("value2"),
          JAVA_INT.withName("kind"),
          JAVA_INT.withName("period"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("comm"),
          MemoryLayout.sequenceLayout(64, JAVA_LONG).withName("kstack"),
          JAVA_INT.withName("lang_len"),
          JAVA_INT.withName("lang_kind"),
          MemoryLayout.sequenceLayout(128, LANG_FRAME).withName("lang"),
          MemoryLayout.sequenceLayout(16384, JAVA_BYTE).withName("ustack"));

  /** {@code struct profile_config} ({@code profile.h}): the CPU program's {@code .rodata}. */
  public static final StructLayout PROFILE_CONFIG =
      MemoryLayout.structLayout(
          JAVA_INT.withName("target_tgid"),
          JAVA_INT.withName("self_tgid"),
          JAVA_LONG.withName("target_cgroup_id"),
          JAVA_INT.withName("ustack_chunks"),
          JAVA_INT.withName("reserved"));

  /** {@code struct profile_counters} ({@code profile.h}): every program's {@code .bss}. */
  public static final StructLayout PROFILE_COUNTERS =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("samples_sent"), JAVA_LONG.withName("samples_dropped"));

  /** {@code struct offcpu_config} ({@code offcpu.h}). */
  public static final StructLayout OFFCPU_CONFIG =
      MemoryLayout.structLayout(
          JAVA_INT.withName("target_tgid"),
          JAVA_INT.withName("self_tgid"),
          JAVA_LONG.withName("target_cgroup_id"),
          JAVA_LONG.withName("min_block_ns"),
          JAVA_INT.withName("ustack_chunks"),
          JAVA_INT.withName("reserved"));

  /** {@code struct offcpu_settings} ({@code offcpu.h}): in {@code .data}, changed while running. */
  public static final StructLayout OFFCPU_SETTINGS =
      MemoryLayout.structLayout(
          JAVA_INT.withName("one_in"), JAVA_INT.withName("epoch"), JAVA_LONG.withName("seen"));

  /** {@code struct alloc_config} ({@code alloc.h}). */
  public static final StructLayout ALLOC_CONFIG =
      MemoryLayout.structLayout(
          JAVA_INT.withName("target_tgid"), JAVA_INT.withName("ustack_chunks"));

  /** {@code struct alloc_settings} ({@code alloc.h}). */
  public static final StructLayout ALLOC_SETTINGS =
      MemoryLayout.structLayout(JAVA_LONG.withName("interval"));

  /** {@code struct blockio_config} ({@code blockio.h}). */
  public static final StructLayout BLOCKIO_CONFIG =
      MemoryLayout.structLayout(
          JAVA_INT.withName("target_tgid"),
          JAVA_INT.withName("self_tgid"),
          JAVA_LONG.withName("target_cgroup_id"),
          JAVA_INT.withName("ustack_chunks"),
          JAVA_INT.withName("reserved"));

  /** {@code struct py_proc} ({@code python.h}): one {@code py_procs} map value. */
  public static final StructLayout PY_PROC =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("runtime"),
          JAVA_SHORT.withName("interp_head"),
          JAVA_SHORT.withName("threads_head"),
          JAVA_SHORT.withName("tstate_next"),
          JAVA_SHORT.withName("tstate_thread_id"),
          JAVA_SHORT.withName("tstate_frame"),
          JAVA_SHORT.withName("cframe_frame"),
          JAVA_SHORT.withName("frame_code"),
          JAVA_SHORT.withName("frame_previous"),
          JAVA_SHORT.withName("frame_instr"),
          JAVA_SHORT.withName("frame_owner"),
          JAVA_SHORT.withName("frame_is_entry"),
          JAVA_SHORT.withName("reserved"));

  /** Every shared struct by its C name, for the layout test. */
  public static final Map<String, StructLayout> ALL =
      Map.of(
          "lang_frame", LANG_FRAME,
          "cpu_sample", CPU_SAMPLE,
          "profile_config", PROFILE_CONFIG,
          "profile_counters", PROFILE_COUNTERS,
          "offcpu_config", OFFCPU_CONFIG,
          "offcpu_settings", OFFCPU_SETTINGS,
          "alloc_config", ALLOC_CONFIG,
          "alloc_settings", ALLOC_SETTINGS,
          "blockio_config", BLOCKIO_CONFIG,
          "py_proc", PY_PROC);

  /** The byte offset of member {@code field} of {@code layout}. */
  public static int offset(StructLayout layout, String field) {
    return (int) layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
  }

  /** Writes {@code value} into member {@code field} at its offset, in the member's own width. */
  public static void set(MemorySegment s, StructLayout layout, String field, long value) {
    MemoryLayout member = layout.select(MemoryLayout.PathElement.groupElement(field));
    long at = offset(layout, field);
    switch (member) {
      case ValueLayout.OfLong l -> s.set(JAVA_LONG, at, value);
      case ValueLayout.OfInt i -> s.set(JAVA_INT, at, (int) value);
      case ValueLayout.OfShort h -> s.set(JAVA_SHORT, at, (short) value);
      default -> throw new IllegalArgumentException(field + " is not a number: " + member);
    }
  }
}
