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

  StackResolver(ProfileQueries storage, long maxSize, FrameSymbolizer symbolizer) {
    this.storage = storage;
    this.symbolizer = symbolizer;
    this.cache = Caffeine.newBuilder().maximumSize(maxSize).build();
  }

  Mono<Map<Long, Resolved>> resolve(String tenant, Collection<Long> ids) {
    return stored(tenant, ids).flatMap(found -> symbolized(tenant, found));
  }

  /** The stacks with their unsymbolised frames named where the symbolizer can. */
  private Mono<Map<Long, Resolved>> symbolized(String tenant, Map<Long, Resolved> found) {
    Set<Location> frames = new LinkedHashSet<>();
    for (Resolved r : found.values()) {
      if (r.unsymbolized()) {
        for (Location l : r.stack().locations()) {
          if (l.isUnsymbolized()) {
            frames.add(l);
          }
        }
      }
    }
    if (frames.isEmpty()) {
      return Mono.just(found);
    }
    return symbolizer
        .symbolize(tenant, frames)
        .onErrorReturn(Map.of())
        .map(named -> named.isEmpty() ? found : rename(found, named));
  }

  private static Map<Long, Resolved> rename(
      Map<Long, Resolved> found, Map<Location, List<Line>> named) {
    Map<Long, Resolved> out = new HashMap<>(found);
    for (Map.Entry<Long, Resolved> e : found.entrySet()) {
      Resolved r = e.getValue();
      if (!r.unsymbolized()) {
        continue;
      }
      List<Location> locations = r.stack().locations();
      List<Location> renamed = new ArrayList<>(locations.size());
      boolean changed = false;
      for (Location l : locations) {
        List<Line> lines = named.get(l);
        if (lines == null) {
          renamed.add(l);
        } else {
          renamed.add(Location.of(l.mapping(), l.address(), lines, l.frameType()));
          changed = true;
        }
      }
      if (changed) {
        out.put(e.getKey(), new Resolved(Stack.of(renamed)));
      }
    }
    return out;
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
