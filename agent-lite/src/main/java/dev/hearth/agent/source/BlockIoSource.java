package dev.hearth.agent.source;

import dev.hearth.agent.AgentConfig;
import dev.hearth.agent.bpf.BpfLayouts;
import java.util.List;

/** {@code blockio.bpf.o} on {@code block_bio_queue} and {@code block_rq_complete}. */
public final class BlockIoSource extends EventSource {
  private BlockIoSource() {
    super("blockio.bpf.o");
  }

  /** Opens, configures, loads and attaches. */
  public static BlockIoSource start(AgentConfig config) {
    return setUp(
        new BlockIoSource(),
        s -> {
          targets(s.object.rodata(), BpfLayouts.BLOCKIO_CONFIG, config);
          s.load(List.of("on_bio_queue", "on_rq_complete"));
          s.object.attach("on_bio_queue");
          s.object.attach("on_rq_complete");
        });
  }
}
