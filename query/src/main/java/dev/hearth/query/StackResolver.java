package dev.hearth.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hearth.model.Stack;
import dev.hearth.storage.ProfileQueries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Turns stack ids into frames, reading storage only for ids not seen before. Stack ids are content
 * hashes, so a cached stack is never stale; the key includes the tenant so no tenant reads
 * another's frames through the cache.
 */
final class StackResolver {
  private record Key(String tenant, long stackId) {}

  private static final int BATCH = 20_000;

  private final ProfileQueries storage;

  /** A stack with its names root first, computed once. */
  record Resolved(Stack stack, List<String> names) {}

  private final Cache<Key, Resolved> cache;

  StackResolver(ProfileQueries storage, long maxSize) {
    this.storage = storage;
    this.cache = Caffeine.newBuilder().maximumSize(maxSize).build();
  }

  Mono<Map<Long, Resolved>> resolve(String tenant, Collection<Long> ids) {
    Map<Long, Resolved> found = new HashMap<>(ids.size() * 2);
    List<Long> missing = new ArrayList<>();
    for (long id : ids) {
      Resolved s = cache.getIfPresent(new Key(tenant, id));
      if (s == null) {
        missing.add(id);
      } else {
        found.put(id, s);
      }
    }
    if (missing.isEmpty()) {
      return Mono.just(found);
    }
    List<List<Long>> batches = new ArrayList<>();
    for (int i = 0; i < missing.size(); i += BATCH) {
      batches.add(missing.subList(i, Math.min(missing.size(), i + BATCH)));
    }
    return reactor.core.publisher.Flux.fromIterable(batches)
        .flatMap(batch -> storage.stacks(tenant, batch), 2)
        .doOnNext(
            loaded ->
                loaded.forEach(
                    (id, stack) -> {
                      Resolved r = new Resolved(stack, stack.functionNamesRootFirst());
                      cache.put(new Key(tenant, id), r);
                      found.put(id, r);
                    }))
        .then(Mono.fromSupplier(() -> found));
  }
}
