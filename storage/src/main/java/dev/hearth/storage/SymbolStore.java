package dev.hearth.storage;

import dev.hearth.model.Line;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Frames the server symbolised from debug files, kept so that a name found once survives restarts
 * and is shared by every server over the same database. Keyed by (tenant, build id, address): the
 * address is the one the profile carried for that build id. Errors are {@link
 * StorageUnavailableException} or {@link StorageException}.
 */
public interface SymbolStore {

  /**
   * The frames of one address.
   *
   * @param version when the debug file they came from was last modified (Unix ms); a row with a
   *     newer version replaces an older one
   * @param lines innermost (inlined) first; empty when the debug file has no symbol there
   */
  record StoredFrames(long address, long version, List<Line> lines) {
    public StoredFrames {
      lines = List.copyOf(lines);
    }
  }

  /** The newest stored frames of each of {@code addresses} that has any; others are left out. */
  Mono<Map<Long, StoredFrames>> frames(String tenant, String buildId, Collection<Long> addresses);

  /** Stores frames of one build id's addresses, all resolved from one debug file version. */
  Mono<Void> write(String tenant, String buildId, long version, Map<Long, List<Line>> frames);

  /** A store that keeps nothing: every read is empty. */
  SymbolStore NONE =
      new SymbolStore() {
        @Override
        public Mono<Map<Long, StoredFrames>> frames(
            String tenant, String buildId, Collection<Long> addresses) {
          return Mono.just(Map.of());
        }

        @Override
        public Mono<Void> write(
            String tenant, String buildId, long version, Map<Long, List<Line>> frames) {
          return Mono.empty();
        }
      };
}
