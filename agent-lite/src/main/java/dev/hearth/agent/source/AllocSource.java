package dev.hearth.agent.source;

import dev.hearth.agent.AgentConfig;
import dev.hearth.agent.AgentException;
import dev.hearth.agent.alloc.AllocatorFile;
import dev.hearth.agent.bpf.BpfLayouts;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/** {@code alloc.bpf.o} as uprobes on the allocator's malloc/calloc/realloc/free. */
public final class AllocSource extends EventSource {
  private String allocatorKind = "";

  private AllocSource() {
    super("alloc.bpf.o");
  }

  /** Finds the allocator, opens, configures, loads and attaches the uprobes. */
  public static AllocSource start(AgentConfig config) {
    AgentConfig.Events ev = config.events();
    AllocatorFile file =
        ev.allocExecutable().isEmpty()
            ? AllocatorFile.of(config.pid())
            : AllocatorFile.read(ev.allocExecutable(), "executable");
    if (!file.offsets().containsKey("malloc") || !file.offsets().containsKey("free")) {
      throw new AgentException(
          AgentException.USAGE,
          file.path() + " defines no malloc/free: give --alloc-executable with the allocator");
    }
    return setUp(
        new AllocSource(),
        s -> {
          MemorySegment cfg = s.object.rodata();
          BpfLayouts.set(cfg, BpfLayouts.ALLOC_CONFIG, "target_tgid", config.pid());
          BpfLayouts.set(cfg, BpfLayouts.ALLOC_CONFIG, "ustack_chunks", config.stackBytes() / 512);
          BpfLayouts.set(
              s.object.data(), BpfLayouts.ALLOC_SETTINGS, "interval", ev.allocIntervalBytes());
          s.load(List.of("on_malloc", "on_calloc", "on_realloc", "on_free", "on_alloc_return"));
          int pid = config.pid() == 0 ? -1 : config.pid();
          for (Map.Entry<String, Long> fn : file.offsets().entrySet()) {
            String name = fn.getKey();
            s.object.attachUprobe("on_" + name, false, pid, file.path(), fn.getValue());
            if (!name.equals("free")) {
              s.object.attachUprobe("on_alloc_return", true, pid, file.path(), fn.getValue());
            }
          }
          s.allocatorKind = file.kind();
        });
  }

  /** Which allocator the uprobes are on ({@code libc}, {@code jemalloc}, ...). */
  public String allocatorKind() {
    return allocatorKind;
  }

  /** Changes the sampling interval while running. */
  public void setInterval(long bytes) {
    object.writeData(BpfLayouts.offset(BpfLayouts.ALLOC_SETTINGS, "interval"), bytes, 8);
  }
}
