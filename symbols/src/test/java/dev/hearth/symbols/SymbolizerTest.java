package dev.hearth.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.storage.SymbolStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** The symbolizer's caching and failure rules, with the real llvm-symbolizer over gcc output. */
class SymbolizerTest {
  @TempDir static Path dir;
  static TestBinaries bin;

  @BeforeAll
  static void build() throws Exception {
    bin = TestBinaries.build(dir);
  }

  /** A source that has what {@code files} says and counts how often it is asked. */
  static final class CountingSource implements DebugFileSource {
    final Map<String, Path> files = new HashMap<>();
    final AtomicInteger asked = new AtomicInteger();

    @Override
    public String name() {
      return "test";
    }

    @Override
    public @Nullable DebugFile find(String tenant, String buildId) throws java.io.IOException {
      asked.incrementAndGet();
      Path p = files.get(buildId);
      return p == null ? null : new DebugFile(p, name(), Files.getLastModifiedTime(p).toMillis());
    }
  }

  static final class MemoryStore implements SymbolStore {
    final Map<String, StoredFrames> rows = new HashMap<>();

    @Override
    public Mono<Map<Long, StoredFrames>> frames(
        String tenant, String buildId, Collection<Long> addresses) {
      Map<Long, StoredFrames> out = new HashMap<>();
      for (long a : addresses) {
        StoredFrames f = rows.get(tenant + "/" + buildId + "/" + a);
        if (f != null) {
          out.put(a, f);
        }
      }
      return Mono.just(out);
    }

    @Override
    public Mono<Void> write(
        String tenant, String buildId, long version, Map<Long, List<Line>> frames) {
      frames.forEach(
          (a, lines) ->
              rows.put(tenant + "/" + buildId + "/" + a, new StoredFrames(a, version, lines)));
      return Mono.empty();
    }
  }

  static final class Outcomes implements SymbolsListener {
    final Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);

    @Override
    public synchronized void frames(Outcome outcome, long frames) {
      counts.merge(outcome, frames, Long::sum);
    }

    @Override
    public void lookup(String source, String result) {}

    synchronized long of(Outcome o) {
      return counts.getOrDefault(o, 0L);
    }
  }

  private static Symbolizer symbolizer(
      CountingSource source, @Nullable LlvmSymbolizer llvm, SymbolStore store, Outcomes out) {
    return new Symbolizer(
        List.of(source),
        llvm,
        store,
        out,
        new Symbolizer.Settings(
            Duration.ofSeconds(20), 1000, Duration.ofMinutes(5), Duration.ofSeconds(5), 1));
  }

  private static LlvmSymbolizer llvm() {
    String command = LlvmSymbolizer.locate("llvm-symbolizer");
    assertThat(command).as("llvm-symbolizer installed (apt-get install llvm)").isNotNull();
    return new LlvmSymbolizer(command, Duration.ofSeconds(30));
  }

  private static List<Location> frames(String buildId, long... addresses) {
    Mapping m = Mapping.of("/opt/t", buildId, "gnu");
    List<Location> out = new ArrayList<>();
    for (long a : addresses) {
      out.add(Location.unsymbolized(m, a, "native"));
    }
    return out;
  }

  @Test
  void namesFromTheDebugFileOnceThenFromMemory() {
    CountingSource source = new CountingSource();
    source.files.put(bin.buildId(), bin.debug());
    MemoryStore store = new MemoryStore();
    Outcomes out = new Outcomes();
    try (Symbolizer s = symbolizer(source, llvm(), store, out)) {
      List<Location> frames = frames(bin.buildId(), bin.hot() + 2, 0x10);
      long before = s.generation();
      Map<Location, List<Line>> named = s.symbolize("t", frames).block();
      assertThat(named).containsOnlyKeys(frames.get(0)); // 0x10 lies in no function
      Line line = named.get(frames.get(0)).getFirst();
      assertThat(line.function().name()).isEqualTo("hot");
      assertThat(line.function().filename()).endsWith("t.c");
      assertThat(line.line()).isEqualTo(2);
      assertThat(s.generation()).isGreaterThan(before);
      assertThat(out.of(SymbolsListener.Outcome.SYMBOLIZED)).isEqualTo(1);
      assertThat(out.of(SymbolsListener.Outcome.NO_SYMBOL)).isEqualTo(1);
      assertThat(store.rows).hasSize(2);

      assertThat(s.symbolize("t", frames).block()).isEqualTo(named);
      assertThat(source.asked).hasValue(1);
      // Frames already named by a producer are not touched.
      Location named0 = Location.of(dev.hearth.model.Function.of("hot"));
      assertThat(Symbolizer.isCandidate(named0)).isFalse();
    }
  }

  @Test
  void aStrippedLibraryIsNamedFromItsDynamicSymbols() throws Exception {
    Path c = dir.resolve("lib.c");
    Files.writeString(
        c, "volatile int s;\nvoid libhot(void) { for (int i = 0; i < 50; i++) s += i; }\n");
    Path lib = dir.resolve("libt.so");
    TestBinaries.run("gcc", "-O1", "-shared", "-fPIC", "-o", lib.toString(), c.toString());
    Path stripped = dir.resolve("libt.stripped.so");
    TestBinaries.run("strip", "--strip-all", "-o", stripped.toString(), lib.toString());
    ElfFileInfo info = ElfFileInfo.read(stripped);
    assertThat(info.hasSymtab()).isFalse();
    assertThat(info.hasDynsym()).isTrue();
    long libhot = -1;
    for (String line : TestBinaries.run("nm", "-D", lib.toString()).split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length == 3 && cols[2].equals("libhot")) {
        libhot = Long.parseLong(cols[0], 16);
      }
    }
    CountingSource source = new CountingSource();
    source.files.put(info.buildId(), stripped);
    try (Symbolizer s = symbolizer(source, llvm(), new MemoryStore(), new Outcomes())) {
      List<Location> frames = frames(info.buildId(), libhot + 4);
      Map<Location, List<Line>> named = s.symbolize("t", frames).block();
      assertThat(named.get(frames.get(0)).getFirst().function().name()).isEqualTo("libhot");
    }
  }

  @Test
  void aMissingBuildIdIsNotAskedForAgainUntilItsFileArrives() {
    CountingSource source = new CountingSource();
    Outcomes out = new Outcomes();
    try (Symbolizer s = symbolizer(source, llvm(), new MemoryStore(), out)) {
      List<Location> frames = frames(bin.buildId(), bin.hot() + 2);
      assertThat(s.symbolize("t", frames).block()).isEmpty();
      assertThat(s.symbolize("t", frames).block()).isEmpty();
      assertThat(source.asked).hasValue(1);
      assertThat(out.of(SymbolsListener.Outcome.NO_DEBUG_FILE)).isEqualTo(1);

      source.files.put(bin.buildId(), bin.debug());
      s.invalidate("t", bin.buildId()); // what an upload does
      assertThat(s.symbolize("t", frames).block()).hasSize(1);
    }
  }

  @Test
  void corruptFilesAndAMissingSymbolizerLeaveFramesUnnamedWithoutFailing() throws Exception {
    Path corrupt = dir.resolve("corrupt.debug");
    Files.write(corrupt, java.util.Arrays.copyOf(Files.readAllBytes(bin.debug()), 300));
    CountingSource source = new CountingSource();
    source.files.put(bin.buildId(), corrupt);
    Outcomes out = new Outcomes();
    List<Location> frames = frames(bin.buildId(), bin.hot() + 2, bin.hot() + 4);
    try (Symbolizer s = symbolizer(source, llvm(), new MemoryStore(), out)) {
      assertThat(s.symbolize("t", frames).block()).isEmpty();
      assertThat(out.of(SymbolsListener.Outcome.CORRUPT)).isEqualTo(2);
    }
    source.files.put(bin.buildId(), bin.debug());
    try (Symbolizer s = symbolizer(source, null, new MemoryStore(), out)) {
      assertThat(s.symbolize("t", frames).block()).isEmpty();
      assertThat(out.of(SymbolsListener.Outcome.SYMBOLIZER_FAILED)).isEqualTo(2);
    }
  }

  @Test
  void anUnreachableDebuginfodIsCountedAndNotAskedAgainAtOnce() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    DebuginfodClient debuginfod =
        new DebuginfodClient(
            "http://127.0.0.1:" + closed, dir.resolve("dl"), Duration.ofSeconds(2), 1 << 20);
    Outcomes out = new Outcomes();
    try (Symbolizer s =
        new Symbolizer(
            List.of(debuginfod),
            llvm(),
            new MemoryStore(),
            out,
            new Symbolizer.Settings(
                Duration.ofSeconds(20), 1000, Duration.ofMinutes(5), Duration.ofSeconds(5), 1))) {
      List<Location> frames = frames(bin.buildId(), bin.hot() + 2);
      assertThat(s.symbolize("t", frames).block()).isEmpty();
      assertThat(s.symbolize("t", frames).block()).isEmpty();
      assertThat(out.of(SymbolsListener.Outcome.SOURCE_FAILED)).isEqualTo(1);
    }
  }

  @Test
  void storedFramesOlderThanTheLocalFileAreResolvedAgain() throws Exception {
    CountingSource source = new CountingSource();
    source.files.put(bin.buildId(), bin.debug());
    MemoryStore store = new MemoryStore();
    long address = bin.hot() + 2;
    store
        .write(
            "t",
            bin.buildId(),
            Files.getLastModifiedTime(bin.debug()).toMillis() - 1000,
            Map.of(address, List.of(Line.of(dev.hearth.model.Function.of("stale"), 1))))
        .block();
    Outcomes out = new Outcomes();
    try (Symbolizer s = symbolizer(source, llvm(), store, out)) {
      List<Location> frames = frames(bin.buildId(), address);
      Map<Location, List<Line>> named = s.symbolize("t", frames).block();
      assertThat(named.get(frames.get(0)).getFirst().function().name()).isEqualTo("hot");
      assertThat(out.of(SymbolsListener.Outcome.STORED)).isZero();
    }
    // A current stored row is taken as is, without running the symboliser.
    Outcomes again = new Outcomes();
    try (Symbolizer s = symbolizer(source, null, store, again)) {
      List<Location> frames = frames(bin.buildId(), address);
      assertThat(s.symbolize("t", frames).block().get(frames.get(0)).getFirst().function().name())
          .isEqualTo("hot");
      assertThat(again.of(SymbolsListener.Outcome.STORED)).isEqualTo(1);
    }
  }
}
