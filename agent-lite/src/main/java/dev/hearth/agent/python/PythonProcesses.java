package dev.hearth.agent.python;

import dev.hearth.agent.bpf.BpfObject;
import dev.hearth.agent.elf.SymbolTable;
import dev.hearth.agent.symbol.ObjectFile;
import dev.hearth.agent.symbol.ObjectFiles;
import dev.hearth.agent.unwind.ProcessInfo;
import dev.hearth.agent.unwind.ProcessMaps;
import dev.hearth.agent.unwind.Processes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The CPython processes the CPU program reads frames of. When a process is first sampled: if it
 * maps a {@code python3.X} executable or {@code libpython3.X.so} defining {@code _PyRuntime} and
 * the agent knows 3.X's layout, its {@code py_procs} entry is written; from the next sample on the
 * BPF program records its Python frames. Entries go when the process exits.
 */
public final class PythonProcesses implements AutoCloseable {
  static final String MAP = "py_procs";

  private final BpfObject program;
  private final ObjectFiles objects;
  private final Map<Integer, PythonProcess> byPid = new ConcurrentHashMap<>();
  private final Map<Integer, Boolean> notPython = new ConcurrentHashMap<>();

  public PythonProcesses(BpfObject program, ObjectFiles objects) {
    this.program = program;
    this.objects = objects;
  }

  /** The registered process {@code pid}, or null. */
  public @Nullable PythonProcess get(int pid) {
    return byPid.get(pid);
  }

  /** Registers {@code p} if it is a CPython the agent can read and is not registered yet. */
  public void seen(ProcessInfo p) {
    if (byPid.containsKey(p.pid()) || notPython.containsKey(p.pid())) {
      return;
    }
    PythonLayout layout =
        p.runtimeName().equals("cpython") ? PythonLayout.of(p.runtimeVersion()) : null;
    long runtime = layout == null ? -1 : runtimeAddress(p, objects);
    if (layout == null || runtime <= 0) {
      notPython.put(p.pid(), true);
      return;
    }
    try (Arena local = Arena.ofConfined()) {
      MemorySegment key = local.allocateFrom(ValueLayout.JAVA_INT, p.pid());
      program.updateMap(MAP, key, PyProc.of(local, runtime, layout));
    }
    byPid.put(p.pid(), new PythonProcess(p.pid(), layout));
  }

  /**
   * Registers the CPython processes already running ({@code pid}, or every process when 0), so
   * their first samples carry Python frames too (otherwise only samples after the first one seen
   * would: registration reads the interpreter's ELF file).
   */
  public void registerRunning(Processes processes, int pid) {
    List<Integer> pids = new ArrayList<>();
    if (pid != 0) {
      pids.add(pid);
    } else {
      try (var dirs = Files.list(Path.of("/proc"))) {
        dirs.map(d -> d.getFileName().toString())
            .filter(n -> n.chars().allMatch(Character::isDigit))
            .forEach(n -> pids.add(Integer.parseInt(n)));
      } catch (java.io.IOException e) {
        return;
      }
    }
    for (int p : pids) {
      if (p == ProcessHandle.current().pid() || !mapsPython(p)) {
        continue;
      }
      try {
        seen(processes.get(p, ""));
      } catch (RuntimeException e) {
        // gone meanwhile: its first sample will try again
      }
    }
  }

  private static boolean mapsPython(int pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/maps")).contains("python");
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  /** Where {@code _PyRuntime} is in {@code p}: the defining file's symbol plus its load bias. */
  static long runtimeAddress(ProcessInfo p, ObjectFiles files) {
    for (ProcessMaps.Entry e : p.maps().entries()) {
      Path name = Path.of(e.path()).getFileName();
      if (!e.isFile() || name == null || !name.toString().contains("python")) {
        continue;
      }
      ObjectFile object = files.get(p.pid(), e.path(), e.inodeKey());
      if (object == null) {
        continue;
      }
      long symbol = SymbolTable.addressOf(object.elf(), "_PyRuntime");
      long mappedAt = object.address(e.offset());
      if (symbol > 0 && mappedAt >= 0) {
        return symbol + (e.start() - mappedAt);
      }
    }
    return -1;
  }

  /** Drops the entries of processes that have exited. */
  public void expire() {
    for (Integer pid : byPid.keySet()) {
      if (!Files.exists(Path.of("/proc/" + pid))) {
        PythonProcess gone = byPid.remove(pid);
        if (gone != null) {
          gone.close();
        }
        try (Arena local = Arena.ofConfined()) {
          program.deleteFromMap(MAP, local.allocateFrom(ValueLayout.JAVA_INT, pid));
        } catch (RuntimeException e) {
          // the object is closing
        }
      }
    }
    notPython.keySet().removeIf(pid -> !Files.exists(Path.of("/proc/" + pid)));
  }

  @Override
  public void close() {
    byPid.values().forEach(pp -> pp.close());
    byPid.clear();
  }
}
