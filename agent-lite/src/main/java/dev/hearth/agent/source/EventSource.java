package dev.hearth.agent.source;

import dev.hearth.agent.AgentConfig;
import dev.hearth.agent.AgentException;
import dev.hearth.agent.bpf.BpfLayouts;
import dev.hearth.agent.bpf.BpfObject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One BPF program object as the profiler uses it: opened from the class path, configured through
 * its typed layout before load, loaded, attached; its records arrive on its {@code events} ring
 * buffer. Subclasses do open → configure → load → attach in their factory and close everything they
 * made if a step fails.
 */
public abstract class EventSource implements AutoCloseable {
  protected final BpfObject object;
  private final List<Integer> programFds = new ArrayList<>();

  protected EventSource(String objectName) {
    this.object = BpfObject.open(objectBytes(objectName), objectName);
  }

  /** Loads the object and remembers its programs (their run time feeds the CPU budget). */
  protected final void load(List<String> programs) {
    object.load(programs);
    for (String p : programs) {
      programFds.add(object.programFd(p));
    }
  }

  /** The loaded programs' fds. */
  public final List<Integer> programFds() {
    return List.copyOf(programFds);
  }

  /** The fd of the ring buffer the records come on. */
  public final int eventsMapFd() {
    return object.mapFd("events");
  }

  /** Records the kernel could not hand over (ring buffer full). */
  public final long kernelDropped() {
    return object.readBssLong(BpfLayouts.offset(BpfLayouts.PROFILE_COUNTERS, "samples_dropped"));
  }

  /** Detaches and unloads. */
  @Override
  public void close() {
    object.close();
  }

  /** The target filters and stack size the CPU, off-CPU and block-IO configs start with. */
  static void targets(MemorySegment cfg, StructLayout layout, AgentConfig config) {
    BpfLayouts.set(cfg, layout, "target_tgid", config.pid());
    BpfLayouts.set(cfg, layout, "self_tgid", ProcessHandle.current().pid());
    BpfLayouts.set(cfg, layout, "target_cgroup_id", cgroupId(config.cgroup()));
    BpfLayouts.set(cfg, layout, "ustack_chunks", config.stackBytes() / 512);
  }

  /** The cgroup v2 id of a directory: its inode number. 0 for none. */
  public static long cgroupId(String dir) {
    if (dir.isEmpty()) {
      return 0;
    }
    try {
      return ((Number) Files.getAttribute(Path.of(dir), "unix:ino")).longValue();
    } catch (IOException | UnsupportedOperationException e) {
      throw new AgentException(AgentException.USAGE, "cannot read cgroup " + dir + ": " + e);
    }
  }

  /** Runs {@code body} on a new source; closes the source if it throws. */
  static <S extends EventSource> S setUp(S source, java.util.function.Consumer<S> body) {
    try {
      body.accept(source);
      return source;
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }

  private static byte[] objectBytes(String name) {
    try (InputStream in = EventSource.class.getResourceAsStream("/bpf/" + name)) {
      if (in == null) {
        throw new AgentException(
            AgentException.FAILED,
            "bpf/" + name + " is not on the class path: build the bpf module");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AgentException(AgentException.FAILED, "cannot read bpf/" + name, e);
    }
  }
}
