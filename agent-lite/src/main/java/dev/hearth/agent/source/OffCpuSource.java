package dev.hearth.agent.source;

import dev.hearth.agent.AgentConfig;
import dev.hearth.agent.bpf.BpfLayouts;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** {@code offcpu.bpf.o} on {@code sched_switch} and syscall exit; thinned or paused at run time. */
public final class OffCpuSource extends EventSource {
  private int epoch;

  private OffCpuSource() {
    super("offcpu.bpf.o");
  }

  /** Opens, configures, loads and attaches. */
  public static OffCpuSource start(AgentConfig config) {
    return setUp(
        new OffCpuSource(),
        s -> {
          MemorySegment cfg = s.object.rodata();
          targets(cfg, BpfLayouts.OFFCPU_CONFIG, config);
          BpfLayouts.set(
              cfg, BpfLayouts.OFFCPU_CONFIG, "min_block_ns", config.events().offCpuMinNanos());
          s.load(List.of("on_switch", "on_sys_exit"));
          s.attach();
        });
  }

  private void attach() {
    object.attach("on_switch");
    object.attach("on_sys_exit");
  }

  /** Sends one off-CPU episode in {@code n} (values scaled by n). */
  public void setOneIn(long n) {
    object.writeData(BpfLayouts.offset(BpfLayouts.OFFCPU_SETTINGS, "one_in"), Math.max(1, n), 4);
  }

  /**
   * Detaches the programs, or attaches them again under a new epoch (so entries left from before
   * the pause, whose switch-in was never seen, are dropped instead of counting the pause).
   */
  public void pause(boolean pause) {
    if (pause) {
      object.detachAll();
    } else {
      object.writeData(BpfLayouts.offset(BpfLayouts.OFFCPU_SETTINGS, "epoch"), ++epoch, 4);
      attach();
    }
  }
}
