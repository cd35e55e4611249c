package dev.hearth.storage;

import java.util.Set;
import reactor.core.publisher.Mono;

/** Writes deduplicated profile batches. */
public interface ProfileWriter {

  /**
   * Writes a batch: its series, the dictionary entries (functions, mappings, locations, stacks) the
   * backend does not hold yet for the batch's tenant and day, and one sample row per (series,
   * stack, second) with values and counts summed.
   *
   * <p>The returned {@code Mono} completes only once every row is durably stored; acknowledging
   * before that would lose data. Writing the same batch twice stores its values twice (samples are
   * facts) but its dictionary entries once. Fails with {@link StorageUnavailableException} when the
   * backend cannot be reached, and with {@link StorageException} for anything else; nothing is
   * retried silently.
   */
  Mono<WriteResult> write(WriteBatch batch);

  /**
   * Ids of the tenant's series with samples at or after {@code sinceNanos} (epoch nanoseconds), as
   * the backend holds them, whichever server wrote them; at most {@code limit} of them. The ingest
   * core counts these towards the per-tenant series limit, so that several servers writing to one
   * backend share one limit. The default returns none: a backend only one server writes to.
   */
  default Mono<Set<Long>> activeSeries(String tenant, long sinceNanos, int limit) {
    return Mono.just(Set.of());
  }
}
