package dev.hearth.agent.source;

import dev.hearth.agent.AgentConfig;
import dev.hearth.agent.bpf.BpfLayouts;
import dev.hearth.agent.bpf.PerfEvents;
import dev.hearth.agent.python.PythonProcesses;
import dev.hearth.agent.symbol.ObjectFiles;
import dev.hearth.agent.unwind.Processes;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code profile.bpf.o} on a CPU-clock perf event per online CPU, with the CPython processes it
 * reads frames of ({@code py_procs}).
 */
public final class CpuSource extends EventSource {
  static final String PROGRAM = "on_cpu_sample";

  private @Nullable PerfEvents perfEvents;
  private @Nullable PythonProcesses python;

  private CpuSource() {
    super("profile.bpf.o");
  }

  /** Opens, configures, loads and attaches; registers the CPython processes already running. */
  public static CpuSource start(AgentConfig config, ObjectFiles objects, Processes processes) {
    return setUp(
        new CpuSource(),
        s -> {
          targets(s.object.rodata(), BpfLayouts.PROFILE_CONFIG, config);
          s.load(List.of(PROGRAM));
          PythonProcesses py = new PythonProcesses(s.object, objects);
          s.python = py;
          py.registerRunning(processes, config.pid());
          PerfEvents events =
              PerfEvents.openCpuClock(PerfEvents.onlineCpus(), config.frequencyHz());
          s.perfEvents = events;
          for (PerfEvents.Event e : events.events()) {
            s.object.attachPerfEvent(PROGRAM, e.fd(), "cpu " + e.cpu());
          }
        });
  }

  /** The CPython processes registered with the program. */
  public PythonProcesses python() {
    PythonProcesses py = python;
    if (py == null) {
      throw new IllegalStateException("not started");
    }
    return py;
  }

  /** Changes the sampling rate of every CPU's event. */
  public void setFrequency(int hz) {
    PerfEvents pe = perfEvents;
    if (pe != null) {
      pe.setFrequency(hz);
    }
  }

  @Override
  public void close() {
    PythonProcesses py = python;
    python = null;
    if (py != null) {
      py.close();
    }
    super.close(); // detaches the links before the perf events close
    PerfEvents pe = perfEvents;
    perfEvents = null;
    if (pe != null) {
      pe.close();
    }
  }
}
