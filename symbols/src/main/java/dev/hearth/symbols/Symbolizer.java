package dev.hearth.symbols;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.storage.SymbolStore;
import dev.hearth.symbols.SymbolsListener.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Names native frames that arrived as a build id and an address. Per (tenant, build id, address) it
 * looks in memory, then in the {@link SymbolStore}, then finds the build id's debug file in the
 * sources (in order) and asks {@link LlvmSymbolizer}; what it learns goes to memory and to the
 * store, so the work is done once per frame and survives restarts.
 *
 * <p>Queries never fail because of symbols: a frame whose debug file is missing, corrupt or slow to
 * fetch keeps its {@code file+0xoffset} name, the outcome is counted, and a query waits at most
 * {@link Settings#queryWait()} while the work goes on in the background for the next query. A build
 * id no source has is not looked up again for {@link Settings#missingRetry()} (an upload of it
 * clears that at once). {@link #generation()} changes whenever names may have changed, so cached
 * query results that hold older names can be told apart.
 */
public final class Symbolizer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Symbolizer.class.getName());
  private static final int LOCKS = 64;

  /**
   * @param queryWait longest a query waits for frames being symbolised
   * @param cacheSize frames kept in memory
   * @param missingRetry how long a build id no source has is not looked up again
   * @param storeTimeout longest a read or write of the symbol store may take
   * @param threads threads finding debug files and running the symboliser
   */
  public record Settings(
      Duration queryWait,
      long cacheSize,
      Duration missingRetry,
      Duration storeTimeout,
      int threads) {
    public static Settings defaults() {
      return new Settings(
          Duration.ofSeconds(5), 1_000_000, Duration.ofMinutes(5), Duration.ofSeconds(30), 2);
    }
  }

  private record Key(String tenant, String buildId, long address) {}

  private record BuildKey(String tenant, String buildId) {}

  private final List<DebugFileSource> sources;
  private final @Nullable LlvmSymbolizer llvm;
  private final SymbolStore store;
  private final SymbolsListener listener;
  private final Settings settings;
  private final Cache<Key, List<Line>> frames;
  private final Cache<BuildKey, Boolean> missing;
  private final Object[] locks = new Object[LOCKS];
  private final ThreadPoolExecutor executor;
  private final AtomicLong generation = new AtomicLong();

  /**
   * @param sources where debug files are looked for, first match wins
   * @param llvm the symboliser, or null when none is installed (every frame stays unnamed)
   */
  public Symbolizer(
      List<DebugFileSource> sources,
      @Nullable LlvmSymbolizer llvm,
      SymbolStore store,
      SymbolsListener listener,
      Settings settings) {
    this.sources = List.copyOf(sources);
    this.llvm = llvm;
    this.store = store;
    this.listener = listener;
    this.settings = settings;
    this.frames = Caffeine.newBuilder().maximumSize(settings.cacheSize()).build();
    this.missing = Caffeine.newBuilder().expireAfterWrite(settings.missingRetry()).build();
    for (int i = 0; i < LOCKS; i++) {
      locks[i] = new Object();
    }
    this.executor =
        new ThreadPoolExecutor(
            settings.threads(),
            settings.threads(),
            1,
            TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(4096),
            r -> {
              Thread t = new Thread(r, "hearth-symbolizer");
              t.setDaemon(true);
              return t;
            });
  }

  /** Changes whenever a frame's name may have changed (new symbols, an upload). */
  public long generation() {
    return generation.get();
  }

  /** True for a frame this symboliser can try: unsymbolised, with a GNU (or untyped) build id. */
  public static boolean isCandidate(Location location) {
    Mapping m = location.mapping();
    return m != null
        && location.isUnsymbolized()
        && (m.buildIdKind().isEmpty() || m.buildIdKind().equals("gnu"))
        && BuildIds.canonical(m.buildId()) != null;
  }

  /**
   * The frames of those of {@code locations} that can be named, innermost first; the others are
   * left out. Never fails; completes within about {@link Settings#queryWait()}.
   */
  public Mono<Map<Location, List<Line>>> symbolize(String tenant, Collection<Location> locations) {
    Map<String, Set<Long>> todo = new HashMap<>();
    for (Location l : locations) {
      String buildId = buildId(l);
      if (buildId != null && frames.getIfPresent(new Key(tenant, buildId, l.address())) == null) {
        todo.computeIfAbsent(buildId, b -> new LinkedHashSet<>()).add(l.address());
      }
    }
    if (todo.isEmpty()) {
      return Mono.just(known(tenant, locations));
    }
    List<CompletableFuture<Void>> work = new ArrayList<>();
    todo.forEach(
        (buildId, addresses) -> {
          try {
            work.add(
                CompletableFuture.runAsync(() -> resolve(tenant, buildId, addresses), executor));
          } catch (RejectedExecutionException e) {
            // overloaded: these frames stay unnamed in this answer and are tried by a later query
          }
        });
    return Mono.fromFuture(CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)), true)
        .timeout(settings.queryWait())
        .onErrorResume(e -> Mono.empty())
        // The query goes on off the symbolizer's threads, which are few and meant for symbols.
        .publishOn(Schedulers.parallel())
        .then(Mono.fromSupplier(() -> known(tenant, locations)));
  }

  /** Forgets what is known of {@code buildId} for {@code tenant}: a new debug file arrived. */
  public void invalidate(String tenant, String buildId) {
    frames.asMap().keySet().removeIf(k -> k.buildId.equals(buildId) && k.tenant.equals(tenant));
    missing.invalidate(new BuildKey(tenant, buildId));
    generation.incrementAndGet();
  }

  private static @Nullable String buildId(Location l) {
    Mapping m = l.mapping();
    return m != null && isCandidate(l) ? BuildIds.canonical(m.buildId()) : null;
  }

  private Map<Location, List<Line>> known(String tenant, Collection<Location> locations) {
    Map<Location, List<Line>> out = new HashMap<>();
    for (Location l : locations) {
      String buildId = buildId(l);
      if (buildId != null) {
        List<Line> lines = frames.getIfPresent(new Key(tenant, buildId, l.address()));
        if (lines != null && !lines.isEmpty()) {
          out.put(l, lines);
        }
      }
    }
    return out;
  }

  /** Resolves one build id's addresses into the memory cache; runs on the executor. */
  private void resolve(String tenant, String buildId, Set<Long> addresses) {
    BuildKey build = new BuildKey(tenant, buildId);
    synchronized (locks[Math.floorMod(build.hashCode(), LOCKS)]) {
      List<Long> todo = new ArrayList<>();
      for (long a : addresses) {
        if (frames.getIfPresent(new Key(tenant, buildId, a)) == null) {
          todo.add(a);
        }
      }
      if (todo.isEmpty() || missing.getIfPresent(build) != null) {
        return;
      }
      DebugFile local = find(tenant, buildId, true, new boolean[1]);
      todo = fromStore(tenant, buildId, todo, local == null ? Long.MIN_VALUE : local.version());
      if (todo.isEmpty()) {
        return;
      }
      boolean[] failed = {false};
      DebugFile file = local != null ? local : find(tenant, buildId, false, failed);
      if (file == null) {
        // Not asked again for a while either way: an unreachable debuginfod must not be hammered.
        missing.put(build, Boolean.TRUE);
        listener.frames(failed[0] ? Outcome.SOURCE_FAILED : Outcome.NO_DEBUG_FILE, todo.size());
        return;
      }
      fromFile(tenant, buildId, todo, file);
    }
  }

  /** The addresses the store has no current frames for; the others go to memory. */
  private List<Long> fromStore(String tenant, String buildId, List<Long> todo, long minVersion) {
    Map<Long, SymbolStore.StoredFrames> stored;
    try {
      stored = store.frames(tenant, buildId, todo).block(settings.storeTimeout());
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "symbol store read failed; resolving from the debug file", e);
      return todo;
    }
    if (stored == null || stored.isEmpty()) {
      return todo;
    }
    List<Long> left = new ArrayList<>();
    long hits = 0;
    for (long a : todo) {
      SymbolStore.StoredFrames f = stored.get(a);
      if (f != null && f.version() >= minVersion) {
        frames.put(new Key(tenant, buildId, a), f.lines());
        hits++;
      } else {
        left.add(a);
      }
    }
    listener.frames(Outcome.STORED, hits);
    if (hits > 0) {
      generation.incrementAndGet();
    }
    return left;
  }

  /** The first debug file the local (or remote) sources have; {@code failed[0]} if one threw. */
  private @Nullable DebugFile find(String tenant, String buildId, boolean local, boolean[] failed) {
    for (DebugFileSource source : sources) {
      if (source.isLocal() != local) {
        continue;
      }
      try {
        DebugFile f = source.find(tenant, buildId);
        listener.lookup(source.name(), f == null ? "missing" : "found");
        if (f != null) {
          return f;
        }
      } catch (IOException | RuntimeException e) {
        listener.lookup(source.name(), "failed");
        failed[0] = true;
        LOG.log(Level.INFO, source.name() + " lookup of build id " + buildId + " failed: " + e);
      }
    }
    return null;
  }

  private void fromFile(String tenant, String buildId, List<Long> todo, DebugFile file) {
    BuildKey build = new BuildKey(tenant, buildId);
    try {
      ElfFileInfo info = ElfFileInfo.read(file.path());
      if (!info.buildId().isEmpty() && !info.buildId().equals(buildId)) {
        throw new CorruptDebugFileException("its build id is " + info.buildId());
      }
    } catch (IOException e) {
      missing.put(build, Boolean.TRUE);
      listener.frames(Outcome.CORRUPT, todo.size());
      LOG.info("debug file " + file.path() + " for build id " + buildId + " is unusable: " + e);
      return;
    }
    LlvmSymbolizer symbolizer = llvm;
    if (symbolizer == null) {
      listener.frames(Outcome.SYMBOLIZER_FAILED, todo.size());
      return;
    }
    long[] addresses = todo.stream().mapToLong(Long::longValue).toArray();
    LlvmSymbolizer.Result result;
    try {
      result = symbolizer.symbolize(file.path(), addresses);
    } catch (IOException e) {
      listener.frames(Outcome.SYMBOLIZER_FAILED, todo.size());
      LOG.info("llvm-symbolizer failed on " + file.path() + ": " + e.getMessage());
      return;
    }
    if (result.fileError() != null) {
      missing.put(build, Boolean.TRUE);
      listener.frames(Outcome.CORRUPT, todo.size());
      LOG.info("llvm-symbolizer cannot read " + file.path() + ": " + result.fileError());
      return;
    }
    Map<Long, List<Line>> learned = new HashMap<>();
    long named = 0;
    for (int i = 0; i < addresses.length; i++) {
      List<Line> lines = result.frames().get(i);
      learned.put(addresses[i], lines);
      frames.put(new Key(tenant, buildId, addresses[i]), lines);
      named += lines.isEmpty() ? 0 : 1;
    }
    listener.frames(Outcome.SYMBOLIZED, named);
    listener.frames(Outcome.NO_SYMBOL, addresses.length - named);
    generation.incrementAndGet();
    try {
      store.write(tenant, buildId, file.version(), learned).block(settings.storeTimeout());
    } catch (RuntimeException e) {
      LOG.log(Level.INFO, "symbol store write failed (names stay in memory): " + e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    if (llvm != null) {
      llvm.close();
    }
  }
}
