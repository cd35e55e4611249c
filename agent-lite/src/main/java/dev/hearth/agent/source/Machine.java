package dev.hearth.agent.source;

import dev.hearth.agent.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the machine must offer before any program loads: root, BTF, perf events. */
public final class Machine {
  private Machine() {}

  /** Throws an {@link AgentException} naming the first thing missing and its fix. */
  public static void check() {
    if (!isRoot()) {
      throw new AgentException(
          AgentException.NOT_ROOT,
          "hearth-agent needs root (CAP_BPF and CAP_PERFMON): run it with sudo");
    }
    if (!Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"))) {
      throw new AgentException(
          AgentException.UNSUPPORTED,
          "this kernel has no BTF (/sys/kernel/btf/vmlinux): a kernel built with"
              + " CONFIG_DEBUG_INFO_BTF=y is needed (Linux 5.8+, most distributions)");
    }
    if (!Files.exists(Path.of("/proc/sys/kernel/perf_event_paranoid"))) {
      throw new AgentException(
          AgentException.UNSUPPORTED,
          "this kernel has no perf events (/proc/sys/kernel/perf_event_paranoid is missing)");
    }
  }

  /** Whether this process runs as uid 0. */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return false;
  }
}
