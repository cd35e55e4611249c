package dev.hearth.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Stack;
import dev.hearth.storage.ProfileQueries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Turns stack ids into frames, reading storage only for ids not seen before. Stack ids are content
 * hashes, so a cached stack is never stale; the key includes the tenant so no tenant reads
 * another's frames through the cache. Frames stored unsymbolised are named by the {@link
 * FrameSymbolizer} on every resolve (the cache keeps stacks as stored), so names that arrive later
 * show at once.
 */
final class StackResolver {
  private record Key(String tenant, long stackId) {}

  private static final int BATCH = 20_000;

  private final ProfileQueries storage;
  private final FrameSymbolizer symbolizer;

  /**
   * A stack with its names root first, computed once.
   *
   * @param unsymbolized whether any frame is an unsymbolised native frame
   */
  record Resolved(Stack stack, List<String> names, boolean unsymbolized) {
    Resolved(Stack stack) {
      this(
          stack,
          stack.functionNamesRootFirst(),
          stack.locations().stream().anyMatch(Location::isUnsymbolized));
    }
  }

  private final Cache<Key, Resolved> cache;

  /** A stack as named at one generation of the symbolizer. */
  private record Renamed(long generation, Resolved resolved) {}

  private final Cache<Key, Renamed> renamed;

  StackResolver(ProfileQueries storage, long maxSize, FrameSymbolizer symbolizer) {
    this.storage = storage;
    this.symbolizer = symbolizer;
    this.cache = Caffeine.newBuilder().maximumSize(maxSize).build();
    this.renamed = Caffeine.newBuilder().maximumSize(maxSize).build();
  }

  Mono<Map<Long, Resolved>> resolve(String tenant, Collection<Long> ids) {
    return stored(tenant, ids).flatMap(found -> symbolized(tenant, found));
  }

  /**
   * The stacks with their unsymbolised frames named where the symbolizer can. A renamed stack is
   * kept with the symbolizer's generation it was named at and reused while that holds, so a
   * repeated query does not rebuild the stacks again.
   */
  private Mono<Map<Long, Resolved>> symbolized(String tenant, Map<Long, Resolved> found) {
    long generation = symbolizer.generation();
    Map<Long, Resolved> out = null;
    Map<Long, Resolved> pending = new HashMap<>();
    Set<Location> frames = new LinkedHashSet<>();
    for (Map.Entry<Long, Resolved> e : found.entrySet()) {
      Resolved r = e.getValue();
      if (!r.unsymbolized()) {
        continue;
      }
      Renamed done = renamed.getIfPresent(new Key(tenant, e.getKey()));
      if (done != null && done.generation() == generation) {
        out = out == null ? new HashMap<>(found) : out;
        out.put(e.getKey(), done.resolved());
        continue;
      }
      pending.put(e.getKey(), r);
      for (Location l : r.stack().locations()) {
        if (l.isUnsymbolized()) {
          frames.add(l);
        }
      }
    }
    Map<Long, Resolved> base = out == null ? found : out;
    if (frames.isEmpty()) {
      return Mono.just(base);
    }
    return symbolizer
        .symbolize(tenant, frames)
        .onErrorReturn(Map.of())
        .map(
            named -> {
              Map<Long, Resolved> result = new HashMap<>(base);
              pending.forEach(
                  (id, r) -> {
                    Resolved now = rename(r, named);
                    renamed.put(new Key(tenant, id), new Renamed(generation, now));
                    result.put(id, now);
                  });
              return result;
            });
  }

  /** {@code r} with the frames {@code named} has lines for replaced; {@code r} itself if none. */
  private static Resolved rename(Resolved r, Map<Location, List<Line>> named) {
    List<Location> locations = r.stack().locations();
    List<Location> renamedLocations = new ArrayList<>(locations.size());
    boolean changed = false;
    for (Location l : locations) {
      List<Line> lines = named.get(l);
      if (lines == null) {
        renamedLocations.add(l);
      } else {
        renamedLocations.add(Location.of(l.mapping(), l.address(), lines, l.frameType()));
        changed = true;
      }
    }
    return changed ? new Resolved(Stack.of(renamedLocations)) : r;
  }

  private Mono<Map<Long, Resolved>> stored(String tenant, Collection<Long> ids) {
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
                      Resolved r = new Resolved(stack);
                      cache.put(new Key(tenant, id), r);
                      found.put(id, r);
                    }))
        .then(Mono.fromSupplier(() -> found));
  }
}
