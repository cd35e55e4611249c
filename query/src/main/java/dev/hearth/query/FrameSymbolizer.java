package dev.hearth.query;

import dev.hearth.model.Line;
import dev.hearth.model.Location;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Names native frames that were stored unsymbolised ({@link Location#isUnsymbolized()}), at query
 * time, so a frame whose symbols arrive later is named in data written before too. The query engine
 * asks it for the frames of every merge and rebuilds the stacks with the lines it returns.
 */
public interface FrameSymbolizer {

  /**
   * The lines (innermost first) of those of {@code frames} that can be named now; the others are
   * left out. Must not fail and must complete promptly: a frame it cannot name keeps its name.
   */
  Mono<Map<Location, List<Line>>> symbolize(String tenant, Collection<Location> frames);

  /** Changes whenever a name it gives may have changed; part of the result cache's keys. */
  long generation();

  /** Names nothing. */
  FrameSymbolizer NONE =
      new FrameSymbolizer() {
        @Override
        public Mono<Map<Location, List<Line>>> symbolize(
            String tenant, Collection<Location> frames) {
          return Mono.just(Map.of());
        }

        @Override
        public long generation() {
          return 0;
        }
      };
}
