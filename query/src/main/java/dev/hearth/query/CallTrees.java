package dev.hearth.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hearth.model.Function;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.query.flamegraph.CallTree;
import dev.hearth.query.flamegraph.LongIntMap;
import dev.hearth.storage.FunctionInfo;
import dev.hearth.storage.ProfileQueries;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.StackFrames;
import dev.hearth.storage.StackValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Builds the call trees of merges from ids, as Pyroscope builds trees from symbol tables: storage
 * returns each merged stack's value with its function and location ids ({@link
 * ProfileQueries#mergedFrames}); only the distinct functions of the merge are looked up in the
 * names table ({@link ProfileQueries#functions}), each once, cached by (tenant, function id): ids
 * are content hashes, so a cached name is never stale. Each id becomes an int frame (a primitive
 * long→int map), each frame the interned ids of its names, and the name-keyed {@link CallTree} is
 * built from those ints: no stack is rebuilt as frames, no object is made per stack or node.
 *
 * <p>Frames stored unsymbolised (a native frame named {@code libfoo.so+0x1a2b}; see {@link
 * Location#isUnsymbolized}) are keyed by their location, not their synthetic function (two builds
 * of a library share that name), and named by the {@link FrameSymbolizer} on every build, so a
 * frame symbolised later shows its name in earlier data. Only stacks holding a function with such a
 * name need a look-up: the one-line locations of those functions ({@link
 * ProfileQueries#oneLineLocations}, cached by function).
 *
 * <p>A stack's ids never change either (its id hashes them), so they are cached by (tenant, stack
 * id) too: a merge whose stacks are all cached reads only the sums from ClickHouse. A tenant's
 * first merge (nothing of it can be cached yet) goes straight to the joined query.
 *
 * <p>Bounded: a merge of more than {@link QueryLimits#maxStacks()} stacks or a tree of more than
 * {@link QueryLimits#maxTreeNodes()} nodes fails with a {@link QueryLimitException} naming the
 * limit.
 */
final class CallTrees {
  private record Key(String tenant, long id) {}

  /** A merge's call tree (names), with the frame type of each name that has one. */
  record Named(CallTree tree, Map<String, String> frameTypes) {}

  private static final Pattern SYNTHETIC = Pattern.compile(".*\\+0x[0-9a-f]+");
  private static final String UNKNOWN = "unknown";

  private final ProfileQueries storage;
  private final FrameSymbolizer symbolizer;
  private final QueryLimits limits;
  private final Cache<Key, FunctionInfo> functions;
  // The one-line (unsymbolised) locations of a synthetic-looking function, by (tenant, function).
  private final Cache<Key, List<Location>> oneLine;

  /** A stack's ids as the {@code stacks} table holds them. */
  private record StackIds(long[] functionIds, long[] locationIds) {}

  /** Ids weigh 8 bytes each; the cache holds as many as stacks of 32 frames would. */
  private final Cache<Key, StackIds> stackIds;

  /** Tenants with a merge since start: the others have nothing in {@link #stackIds}. */
  private final Set<String> seenTenants = java.util.concurrent.ConcurrentHashMap.newKeySet();

  CallTrees(ProfileQueries storage, FrameSymbolizer symbolizer, QueryLimits limits) {
    this.storage = storage;
    this.symbolizer = symbolizer;
    this.limits = limits;
    this.functions = Caffeine.newBuilder().maximumSize(limits.stackCacheSize()).build();
    this.oneLine =
        Caffeine.newBuilder()
            .maximumWeight(limits.stackCacheSize())
            .<Key, List<Location>>weigher((k, v) -> 1 + v.size())
            .build();
    this.stackIds =
        Caffeine.newBuilder()
            .maximumWeight(limits.stackCacheSize() * 64)
            .<Key, StackIds>weigher((k, v) -> 1 + v.functionIds().length + v.locationIds().length)
            .build();
  }

  /** The call tree of one merge, on side 0. */
  Mono<Named> tree(SeriesSelection selection) {
    return trees(List.of(selection));
  }

  /**
   * One call tree of up to two merges of one tenant, side {@code i} holding selection {@code i}.
   */
  Mono<Named> trees(List<SeriesSelection> sides) {
    String tenant = sides.getFirst().tenant();
    long from = sides.stream().mapToLong(SeriesSelection::fromNanos).min().orElseThrow();
    long until = sides.stream().mapToLong(SeriesSelection::untilNanos).max().orElseThrow();
    return Flux.fromIterable(sides)
        .flatMapSequential(this::rows, 2)
        .collectList()
        .flatMap(
            rows -> {
              Frames frames = new Frames(rows);
              return frames
                  .name(tenant, from, until)
                  .then(Mono.defer(() -> frames.locate(tenant, from, until)))
                  .then(Mono.defer(() -> frames.build(tenant)));
            });
  }

  /**
   * The merge's rows. The merge itself ({@link ProfileQueries#mergedStacks}) is cheap; the ids of
   * its stacks come from the ids cache when it holds them all, else from one query that joins them
   * in ClickHouse ({@link ProfileQueries#mergedFrames}), which then fills the cache.
   */
  private Mono<List<StackFrames>> rows(SeriesSelection s) {
    long max = limits.maxStacks();
    if (seenTenants.add(s.tenant())) {
      return joined(s, max);
    }
    return storage
        .mergedStacks(s)
        .take(max + 1)
        .collectList()
        .flatMap(
            values -> {
              if (values.size() > max) {
                return Mono.error(QueryEngine.tooManyStacks(max));
              }
              List<StackFrames> rows = new ArrayList<>(values.size());
              for (StackValue v : values) {
                StackIds ids = stackIds.getIfPresent(new Key(s.tenant(), v.stackId()));
                if (ids == null) {
                  return joined(s, max);
                }
                rows.add(
                    new StackFrames(
                        v.stackId(),
                        v.value(),
                        v.count(),
                        ids.functionIds(),
                        ids.locationIds(),
                        true));
              }
              return Mono.just(rows);
            });
  }

  private Mono<List<StackFrames>> joined(SeriesSelection s, long max) {
    return storage
        .mergedFrames(s, max + 1)
        .collectList()
        .flatMap(
            rows -> {
              if (rows.size() > max) {
                return Mono.error(QueryEngine.tooManyStacks(max));
              }
              for (StackFrames r : rows) {
                if (r.found()) {
                  stackIds.put(
                      new Key(s.tenant(), r.stackId()),
                      new StackIds(r.functionIds(), r.locationIds()));
                }
              }
              return Mono.just(rows);
            });
  }

  /** The frames of one build: function frames, location frames, their names. */
  private final class Frames {
    private final List<List<StackFrames>> sides;
    private final LongIntMap functionFrame = new LongIntMap();
    private final LongIntMap locationFrame = new LongIntMap();
    // Per frame id: its function (function frames) or location (location frames); null: unknown.
    private final List<@Nullable FunctionInfo> frameFunction = new ArrayList<>();
    private final List<@Nullable Location> frameLocation = new ArrayList<>();
    // The located unsymbolised locations: id → index in locatedList (no boxing per frame).
    private final LongIntMap locatedIndex = new LongIntMap();
    private final List<Location> locatedList = new ArrayList<>();
    // Per function frame, whether its function has an unsymbolised frame's synthetic name.
    private boolean[] synthetic = new boolean[0];
    private boolean anySynthetic;
    private int unknownFrame = LongIntMap.ABSENT;
    // Per stack (both sides in order), its frame ids leaf first: rowFrames[rowStart[i]..[i + 1]).
    private int[] rowFrames = new int[1024];
    private int[] rowStart = new int[1];

    // Per stack (both sides in order), the function frame of each of its function ids:
    // idFrames[idStart[i]..[i + 1]), aligned with the stack's functionIds.
    private final int[] idFrames;
    private final int[] idStart;
    // Per function frame, its function id.
    private long[] frameKey = new long[1024];

    Frames(List<List<StackFrames>> sides) {
      this.sides = sides;
      int stacks = 0;
      int ids = 0;
      for (List<StackFrames> rows : sides) {
        stacks += rows.size();
        for (StackFrames r : rows) {
          ids += r.functionIds().length;
        }
      }
      idFrames = new int[ids];
      idStart = new int[stacks + 1];
      int at = 0;
      int p = 0;
      for (List<StackFrames> rows : sides) {
        for (StackFrames r : rows) {
          idStart[p++] = at;
          for (long f : r.functionIds()) {
            int frame = functionFrame.putIfAbsent(f, frameFunction.size());
            if (frame == frameFunction.size()) {
              frameFunction.add(null);
              frameLocation.add(null);
              if (frameKey.length == frame) {
                frameKey = java.util.Arrays.copyOf(frameKey, 2 * frame);
              }
              frameKey[frame] = f;
            }
            idFrames[at++] = frame;
          }
        }
      }
      idStart[stacks] = at;
    }

    /** Looks up every function id in the cache, the missing ones in the names table. */
    Mono<Void> name(String tenant, long from, long until) {
      Map<Long, Integer> missing = new HashMap<>();
      // Only function frames exist yet: one per distinct function id.
      for (int frame = 0; frame < frameFunction.size(); frame++) {
        if (frameFunction.get(frame) == null) {
          long f = frameKey[frame];
          FunctionInfo hit = functions.getIfPresent(new Key(tenant, f));
          if (hit == null) {
            missing.put(f, frame);
          } else {
            frameFunction.set(frame, hit);
          }
        }
      }
      if (missing.isEmpty()) {
        return Mono.empty();
      }
      return storage
          .functions(tenant, missing.keySet(), from, until)
          .doOnNext(
              found ->
                  found.forEach(
                      (id, info) -> {
                        functions.put(new Key(tenant, id), info);
                        Integer frame = missing.get(id);
                        if (frame != null) {
                          frameFunction.set(frame, info);
                        }
                      }))
          .then();
    }

    private static boolean looksSynthetic(@Nullable FunctionInfo info) {
      if (info == null) {
        return false;
      }
      Function f = info.function();
      return f.systemName().isEmpty()
          && f.filename().isEmpty()
          && f.startLine() == 0
          && SYNTHETIC.matcher(f.name()).matches();
    }

    /**
     * Finds the locations of the unsymbolised frames: the one-line locations of the merge's
     * synthetic-looking functions in the range's days, cached by function. Where a stack's
     * synthetic frame matches none of a function's cached locations (a build first seen since),
     * that function's locations are read again.
     */
    Mono<Void> locate(String tenant, long from, long until) {
      synthetic = new boolean[frameFunction.size()];
      for (int frame = 0; frame < synthetic.length; frame++) {
        synthetic[frame] = looksSynthetic(frameFunction.get(frame));
        anySynthetic |= synthetic[frame];
      }
      if (!anySynthetic) {
        return Mono.empty();
      }
      Set<Long> missing = new HashSet<>();
      for (int frame = 0; frame < synthetic.length; frame++) {
        FunctionInfo info = frameFunction.get(frame);
        if (synthetic[frame] && info != null) {
          long f = info.function().id();
          List<Location> hit = oneLine.getIfPresent(new Key(tenant, f));
          if (hit == null) {
            missing.add(f);
          } else {
            hit.forEach(this::locate);
          }
        }
      }
      int p = 0;
      for (List<StackFrames> rows : sides) {
        for (StackFrames r : rows) {
          long[] fids = r.functionIds();
          int base = idStart[p++];
          for (int i = 0; i < fids.length; i++) {
            long f = fids[i];
            if (synthetic[idFrames[base + i]]
                && !missing.contains(f)
                && !hasLocation(r.locationIds(), f)) {
              missing.add(f);
            }
          }
        }
      }
      if (missing.isEmpty()) {
        return Mono.empty();
      }
      return storage
          .oneLineLocations(tenant, missing, from, until)
          .doOnNext(
              found -> {
                Map<Long, List<Location>> byFunction = new HashMap<>();
                for (long f : missing) {
                  byFunction.put(f, new ArrayList<>());
                }
                found.forEach(
                    (id, l) -> {
                      locate(l);
                      List<Location> of = byFunction.get(l.lines().getFirst().function().id());
                      if (of != null) {
                        of.add(l);
                      }
                    });
                byFunction.forEach((f, ls) -> oneLine.put(new Key(tenant, f), List.copyOf(ls)));
              })
          .then();
    }

    private void locate(Location l) {
      if (locatedIndex.putIfAbsent(l.id(), locatedList.size()) == locatedList.size()) {
        locatedList.add(l);
      }
    }

    private @Nullable Location located(long locationId) {
      int i = locatedIndex.get(locationId);
      return i == LongIntMap.ABSENT ? null : locatedList.get(i);
    }

    /** Whether one of {@code lids} is a located unsymbolised location of function {@code f}. */
    private boolean hasLocation(long[] lids, long f) {
      for (long lid : lids) {
        if (isLocationOf(located(lid), f)) {
          return true;
        }
      }
      return false;
    }

    private static boolean isLocationOf(@Nullable Location l, long functionId) {
      return l != null && l.isUnsymbolized() && l.lines().getFirst().function().id() == functionId;
    }

    private int locationFrame(Location l) {
      int frame = locationFrame.putIfAbsent(l.id(), frameFunction.size());
      if (frame == frameFunction.size()) {
        frameFunction.add(null);
        frameLocation.add(l);
      }
      return frame;
    }

    private int unknownFrame() {
      if (unknownFrame == LongIntMap.ABSENT) {
        unknownFrame = frameFunction.size();
        frameFunction.add(new FunctionInfo(Function.of(UNKNOWN), ""));
        frameLocation.add(null);
      }
      return unknownFrame;
    }

    /**
     * The frame ids of one stack, leaf first, into {@code out}; its length, or -1 when a function
     * or location it names is not visible (the stack then counts as {@code unknown}, as a stack
     * whose dictionary rows are missing does).
     */
    private int frames(StackFrames r, int base, int[] out) {
      long[] fids = r.functionIds();
      long[] lids = r.locationIds();
      boolean anySynthetic = false;
      for (int i = 0; i < fids.length; i++) {
        int frame = idFrames[base + i];
        if (frameFunction.get(frame) == null) {
          return -1;
        }
        out[i] = frame;
        anySynthetic |= synthetic[frame];
      }
      if (!anySynthetic) {
        return fids.length;
      }
      if (fids.length == lids.length) {
        for (int i = 0; i < fids.length; i++) {
          Location l = located(lids[i]);
          if (isLocationOf(l, fids[i])) {
            out[i] = locationFrame(l);
          }
        }
        return fids.length;
      }
      // Inlined frames: the locations are not aligned with the functions. Both run leaf first,
      // so each synthetic function takes the next of the stack's locations that is its own.
      int next = 0;
      for (int i = 0; i < fids.length; i++) {
        if (!synthetic[out[i]]) {
          continue;
        }
        for (int j = next; j < lids.length; j++) {
          Location l = located(lids[j]);
          if (isLocationOf(l, fids[i])) {
            out[i] = locationFrame(l);
            next = j + 1;
            break;
          }
        }
      }
      return fids.length;
    }

    /**
     * Finds each stack's frames once (location frames included), names the location frames, then
     * builds the name-keyed tree from the frame ids: each frame's names are interned once.
     */
    Mono<Named> build(String tenant) {
      // Each stack's frames, once: location frames are found here, and named before the tree.
      int stacks = 0;
      for (List<StackFrames> rows : sides) {
        stacks += rows.size();
      }
      rowStart = new int[stacks + 1];
      int[] buffer = new int[64];
      int used = 0;
      int p = 0;
      for (List<StackFrames> rows : sides) {
        for (StackFrames r : rows) {
          if (buffer.length < r.functionIds().length) {
            buffer = new int[Math.max(r.functionIds().length, 2 * buffer.length)];
          }
          int n = r.found() ? frames(r, idStart[p], buffer) : -1;
          if (n < 0) {
            buffer[0] = unknownFrame();
            n = 1;
          }
          if (rowFrames.length < used + n) {
            rowFrames =
                java.util.Arrays.copyOf(rowFrames, Math.max(used + n, 2 * rowFrames.length));
          }
          System.arraycopy(buffer, 0, rowFrames, used, n);
          rowStart[p++] = used;
          used += n;
        }
      }
      rowStart[stacks] = used;
      Set<Location> unsymbolized = new LinkedHashSet<>();
      for (Location l : frameLocation) {
        if (l != null) {
          unsymbolized.add(l);
        }
      }
      Mono<Map<Location, List<Line>>> named =
          unsymbolized.isEmpty()
              ? Mono.just(Map.of())
              : symbolizer.symbolize(tenant, unsymbolized).onErrorReturn(Map.of());
      return named.flatMap(this::tree);
    }

    /**
     * Each stack becomes its path of interned name ids, root first; the paths are sorted and added
     * in that order ({@link CallTree#addSorted}), so building the tree looks up no child: a fleet
     * merge is a tree of most of a million nodes, whose lookups cost more than the rest.
     */
    private Mono<Named> tree(Map<Location, List<Line>> symbolized) {
      CallTree tree = new CallTree();
      Map<String, String> types = new LinkedHashMap<>();
      int[][] nameIds = new int[frameFunction.size()][];
      int stacks = 0;
      for (List<StackFrames> rows : sides) {
        stacks += rows.size();
      }
      int[] start = new int[stacks + 1];
      int[] side = new int[stacks];
      long[] value = new long[stacks];
      long[] count = new long[stacks];
      int[] names = new int[Math.max(16, rowStart[stacks])];
      int used = 0;
      int p = 0;
      for (int s = 0; s < sides.size(); s++) {
        for (StackFrames r : sides.get(s)) {
          start[p] = used;
          side[p] = s;
          value[p] = r.value();
          count[p] = r.count();
          for (int i = rowStart[p + 1] - 1; i >= rowStart[p]; i--) {
            int frame = rowFrames[i];
            int[] ids = nameIds[frame];
            if (ids == null) {
              ids = names(tree, frame, symbolized, types);
              nameIds[frame] = ids;
            }
            if (ids.length == 1 && used < names.length) {
              names[used++] = ids[0];
              continue;
            }
            if (names.length < used + ids.length) {
              names = java.util.Arrays.copyOf(names, Math.max(used + ids.length, 2 * names.length));
            }
            System.arraycopy(ids, 0, names, used, ids.length);
            used += ids.length;
          }
          p++;
        }
      }
      start[stacks] = used;
      int[] order = sortedPaths(names, start, stacks);
      if (!tree.addSorted(names, start, order, side, value, count, limits.maxTreeNodes())) {
        return Mono.error(Analyses.treeTooLarge(limits.maxTreeNodes()));
      }
      return Mono.just(new Named(tree, types));
    }

    /** The paths' indexes in lexicographic order of their name ids. */
    private static int[] sortedPaths(int[] names, int[] start, int paths) {
      Integer[] order = new Integer[paths];
      for (int i = 0; i < paths; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(
          order,
          (a, b) ->
              java.util.Arrays.compare(
                  names, start[a], start[a + 1], names, start[b], start[b + 1]));
      int[] out = new int[paths];
      for (int i = 0; i < paths; i++) {
        out[i] = order[i];
      }
      return out;
    }

    /**
     * The ids in {@code tree} of a frame's names, outermost first, noting their frame types: a
     * location frame's names are its symbolised lines (its stored synthetic one if none).
     */
    private int[] names(
        CallTree tree, int frame, Map<Location, List<Line>> symbolized, Map<String, String> types) {
      Location l = frameLocation.get(frame);
      if (l == null) {
        FunctionInfo f = frameFunction.get(frame);
        String name = f == null ? UNKNOWN : f.function().name();
        if (f != null && !f.frameType().isEmpty()) {
          types.putIfAbsent(name, f.frameType());
        }
        return new int[] {tree.intern(name)};
      }
      List<Line> ls = symbolized.getOrDefault(l, l.lines());
      int[] ids = new int[ls.size()];
      for (int i = 0; i < ls.size(); i++) {
        String name = ls.get(ls.size() - 1 - i).function().name();
        ids[i] = tree.intern(name);
        if (!l.frameType().isEmpty()) {
          types.putIfAbsent(name, l.frameType());
        }
      }
      return ids;
    }
  }
}
