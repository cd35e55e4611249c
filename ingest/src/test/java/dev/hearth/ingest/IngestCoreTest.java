package dev.hearth.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.otlp.OtlpEncoder;
import dev.hearth.model.codec.pprof.PprofEncoder;
import dev.hearth.storage.StorageUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class IngestCoreTest {
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;

  private final RecordingWriter writer = new RecordingWriter();
  private IngestCore core;

  private IngestCore core(IngestLimits limits) {
    core = new IngestCore(writer, limits, IngestListener.NONE);
    return core;
  }

  @AfterEach
  void close() {
    if (core != null) {
      core.close();
    }
  }

  private static IngestLimits limits() {
    return IngestLimits.defaults();
  }

  private static IngestLimits with(int maxSeries, int maxDepth, Duration delay) {
    return with(maxSeries, maxDepth, delay, IngestLimits.defaults().maxRequestMemory());
  }

  private static IngestLimits with(
      int maxSeries, int maxDepth, Duration delay, long maxRequestMemory) {
    IngestLimits d = IngestLimits.defaults();
    return new IngestLimits(
        d.maxBodyBytes(),
        d.maxDecompressedBytes(),
        d.maxSamplesPerProfile(),
        d.maxLabelsPerSeries(),
        d.maxLabelNameLength(),
        d.maxLabelValueLength(),
        maxSeries,
        d.seriesIdleTimeout(),
        maxDepth,
        d.maxInFlightBytes(),
        d.batchMaxSamples(),
        1,
        delay,
        maxRequestMemory,
        d.dedupWindowEntries(),
        d.cumulativeSeries(),
        d.maxFutureSkew(),
        d.retention());
  }

  private static Payload folded(String text, Map<String, String> labels) {
    return new Payload.Folded(
        text.getBytes(StandardCharsets.UTF_8), ProfileType.CPU, 10_000_000L, labels, NOW, 0);
  }

  private static IngestRequest request(Payload... payloads) {
    return new IngestRequest("t1", "test", List.of(payloads), false);
  }

  @Test
  void foldedIsStoredWithServiceNameDefaultedAndInternalLabelsDropped() {
    core(limits());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("__session_id__", "abc");
    labels.put("env", "prod");
    IngestResult r = core.ingest(request(folded("main;work 3\n", labels))).block();

    assertThat(r.accepted()).isEqualTo(1);
    Profile stored = writer.batches.getFirst().profiles().getFirst();
    assertThat(stored.labels())
        .isEqualTo(LabelSet.of("env", "prod", "service_name", "unknown_service"));
    assertThat(stored.totalValue()).isEqualTo(30_000_000L);
    assertThat(writer.batches.getFirst().tenant()).isEqualTo("t1");
  }

  @Test
  void timesOutsideRetentionOrTooFarAheadAreRefusedNotAcknowledged() {
    core(limits());
    long day = 86_400_000_000_000L;
    Payload old =
        new Payload.Folded(
            "main;a 1\n".getBytes(StandardCharsets.UTF_8),
            ProfileType.CPU,
            1,
            Map.of(),
            NOW - 31 * day,
            0);
    assertThatThrownBy(() -> core.ingest(request(old)).block())
        .isInstanceOfSatisfying(
            IngestException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(IngestException.Kind.INVALID);
              assertThat(e.getMessage())
                  .contains("profile time (from)")
                  .contains("older than the retention (30 days");
            });
    Payload ahead =
        new Payload.Folded(
            "main;a 1\n".getBytes(StandardCharsets.UTF_8),
            ProfileType.CPU,
            1,
            Map.of(),
            NOW + 3_600_000_000_000L,
            0);
    assertThatThrownBy(() -> core.ingest(request(ahead)).block())
        .hasMessageContaining("ahead of the server's clock")
        .hasMessageContaining("hearth.ingest.max-future-skew");
    Payload slightlyAhead =
        new Payload.Folded(
            "main;a 1\n".getBytes(StandardCharsets.UTF_8),
            ProfileType.CPU,
            1,
            Map.of(),
            NOW + 60_000_000_000L,
            0);
    assertThat(core.ingest(request(slightlyAhead)).block().accepted()).isEqualTo(1);
    assertThat(writer.batches).hasSize(1);
  }

  /**
   * The OTel eBPF profiler's export, as its reporter writes it (reporter/internal/pdata): CPU
   * sampling as {@code samples/count} with period {@code cpu/nanoseconds} at 1e9/20 ns, timestamps
   * only, resource attributes {@code process.executable.name}, {@code process.executable.path},
   * {@code process.pid} and {@code container.id}, no {@code service.name}. Hearth's agent: its CPU
   * type, {@code service_name} set to the executable, plus {@code os.type} and {@code host.arch}.
   */
  @Test
  void otelEbpfProfilerAndAgentCpuLandInOneTypeWithTheSameLabels() {
    core(limits());
    dev.hearth.model.Stack stack =
        dev.hearth.model.Stack.ofFunctionNamesRootFirst(List.of("main", "hot"));
    Profile ebpf =
        new Profile(
            new ProfileType("process_cpu", "samples", "count", "cpu", "nanoseconds"),
            LabelSet.of("process.executable.name", "chain", "container.id", "abc"),
            NOW,
            10_000_000_000L,
            50_000_000L,
            dev.hearth.model.Temporality.DELTA,
            List.of(
                new dev.hearth.model.Sample(stack, 1, 1, List.of(), NOW + 1),
                new dev.hearth.model.Sample(stack, 1, 1, List.of(), NOW + 2)));
    Profile agent =
        new Profile(
            ProfileType.CPU,
            LabelSet.of(
                "service_name", "chain", "process_executable_name", "chain", "container_id", "abc"),
            NOW + 20_000_000_000L,
            10_000_000_000L,
            52_631_578L,
            dev.hearth.model.Temporality.DELTA,
            List.of(new dev.hearth.model.Sample(stack, 52_631_578L, 1, List.of(), 0)));
    ingestOtlp(ebpf, Map.of("process.executable.path", "/opt/x/chain", "process.pid", "4242"));
    ingestOtlp(agent, Map.of("os.type", "linux", "host.arch", "amd64"));

    List<Profile> stored = new ArrayList<>();
    writer.batches.forEach(b -> stored.addAll(b.profiles()));
    assertThat(stored).extracting(Profile::type).containsOnly(ProfileType.CPU);
    assertThat(stored.getFirst().totalValue()).isEqualTo(100_000_000L);
    assertThat(stored.getFirst().labels())
        .isEqualTo(
            LabelSet.of(
                "service_name", "chain", "process_executable_name", "chain", "container_id", "abc"))
        .isEqualTo(stored.getLast().labels());
  }

  private void ingestOtlp(Profile p, Map<String, String> extraResourceAttributes) {
    var request = dev.hearth.model.codec.otlp.OtlpEncoder.encode(List.of(p)).toBuilder();
    var resource = request.getResourceProfilesBuilder(0).getResourceBuilder();
    extraResourceAttributes.forEach(
        (k, v) ->
            resource.addAttributes(
                io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                    .setKey(k)
                    .setValue(
                        io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(v))));
    byte[] otlp = request.build().toByteArray();
    core.ingest(new IngestRequest("t1", "test", List.of(new Payload.Otlp(otlp, false)), true))
        .block();
  }

  @Test
  void aRequestWhoseDecodedProfilesPassTheMemoryBudgetIsRefusedNamingTheLimit() {
    core(with(100, 64, Duration.ZERO, 1 << 20));
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      body.append("main;f").append(i).append(";g").append(i % 7).append(" 1\n");
    }
    assertThatThrownBy(() -> core.ingest(request(folded(body.toString(), Map.of()))).block())
        .isInstanceOfSatisfying(
            IngestException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(IngestException.Kind.TOO_LARGE);
              assertThat(e.getMessage()).contains("hearth.ingest.max-request-memory");
            });
    awaitNothingInFlight();
    assertThat(writer.batches).isEmpty();
    // A small request fits, and its estimate is released with it.
    core.ingest(request(folded("main;a 1\n", Map.of()))).block();
    awaitNothingInFlight();
  }

  /** Permits are released just after the answer is signalled. */
  private void awaitNothingInFlight() {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (core.inFlightBytes() != 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(core.inFlightBytes()).isZero();
  }

  @Test
  void aLoneRequestIsWrittenWithoutWaitingForTheBatchWindow() {
    core(with(100, 64, Duration.ofSeconds(30)));
    long start = System.nanoTime();
    core.ingest(request(folded("main;a 1\n", Map.of()))).block(Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(writer.batches).hasSize(1);
  }

  @Test
  void aFailedWriteFailsTheRequestAndItsRetryIsNotTakenForADuplicate() {
    core(limits());
    writer.failWith = new StorageUnavailableException("down", null);
    IngestRequest req = request(folded("main;a 1\n", Map.of()));
    assertThatThrownBy(() -> core.ingest(req).block())
        .isInstanceOf(StorageUnavailableException.class);
    writer.failWith = null;
    core.ingest(req).block();
    core.ingest(req).block();
    assertThat(writer.profiles()).isEqualTo(1);
  }

  @Test
  void stacksDeeperThanTheLimitKeepTheirRootUnderAMarker() {
    core(with(100, 4, Duration.ZERO));
    core.ingest(request(folded("a;b;c;d;e;f 1\nx;y 1\n", Map.of()))).block();

    List<String> stacks =
        writer.batches.getFirst().profiles().getFirst().samples().stream()
            .map(s -> s.stack().toString())
            .toList();
    assertThat(stacks).containsExactly("a;b;c;[truncated]", "x;y");
  }

  @Test
  void aTenantAtItsSeriesLimitGetsNoNewSeriesButKeepsItsOwn() {
    core(with(2, 64, Duration.ZERO));
    core.ingest(request(folded("m 1\n", Map.of("service_name", "a")))).block();
    core.ingest(request(folded("m 2\n", Map.of("service_name", "b")))).block();
    assertThatThrownBy(
            () -> core.ingest(request(folded("m 1\n", Map.of("service_name", "c")))).block())
        .isInstanceOfSatisfying(
            IngestException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("series_per_tenant");
              assertThat(e.getMessage()).contains("hearth.ingest.max-series-per-tenant");
            });
    core.ingest(request(folded("m 3\n", Map.of("service_name", "a")))).block();
    assertThat(writer.profiles()).isEqualTo(3);
  }

  @Test
  void partialSuccessStoresTheValidProfilesAndReportsTheOthers() {
    core(limits());
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      many.put("l" + i, "v");
    }
    Stack s = Stack.ofFunctionNamesRootFirst(List.of("main"));
    Profile good =
        new Profile(
            ProfileType.CPU,
            LabelSet.of("service_name", "ok"),
            NOW,
            0,
            0,
            Temporality.DELTA,
            List.of(Sample.of(s, 5, 1)));
    Profile bad = good.withLabels(LabelSet.of(many));
    IngestResult r =
        core.ingest(
                new IngestRequest(
                    "t1",
                    "test",
                    List.of(new Payload.Otlp(OtlpEncoder.toBytes(List.of(good, bad)), false)),
                    true))
            .block();
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.errors().getFirst()).contains("max-labels-per-series");
    assertThat(writer.profiles()).isEqualTo(1);
  }

  @Test
  void cumulativeProfilesWithoutPreviousBecomeDeltasFromTheSecondOn() {
    core(limits());
    Stack s = Stack.ofFunctionNamesRootFirst(List.of("main", "alloc"));
    for (long objects : new long[] {5, 8, 12}) {
      Profile p =
          new Profile(
              ProfileType.ALLOC_OBJECTS,
              LabelSet.EMPTY,
              NOW + objects,
              0,
              0,
              Temporality.DELTA,
              List.of(Sample.of(s, objects, objects)));
      core.ingest(
              request(
                  new Payload.Pprof(
                      PprofEncoder.encodeGzip(List.of(p)),
                      null,
                      Map.of("service_name", "go"),
                      null,
                      Set.of("alloc_objects"),
                      Map.of(),
                      0,
                      0)))
          .block();
    }
    List<Long> values = new ArrayList<>();
    writer.batches.forEach(b -> b.profiles().forEach(p -> values.add(p.totalValue())));
    assertThat(values).containsExactly(3L, 4L);
  }

  @Test
  void beyondTheInFlightCapRequestsAreRefusedWithOverloaded() {
    IngestLimits d = IngestLimits.defaults();
    core(
        new IngestLimits(
            100,
            1000,
            d.maxSamplesPerProfile(),
            d.maxLabelsPerSeries(),
            d.maxLabelNameLength(),
            d.maxLabelValueLength(),
            d.maxSeriesPerTenant(),
            d.seriesIdleTimeout(),
            d.maxStackDepth(),
            100,
            d.batchMaxSamples(),
            d.batchMaxWrites(),
            Duration.ZERO,
            d.maxRequestMemory(),
            d.dedupWindowEntries(),
            d.cumulativeSeries(),
            d.maxFutureSkew(),
            d.retention()));
    Sinks.Empty<Void> gate = Sinks.empty();
    writer.gate = gate.asMono();
    Mono<IngestResult> held = core.ingest(request(folded("main;a 1\n", Map.of()))).cache();
    held.subscribe();
    assertThatThrownBy(
            () -> core.ingest(request(folded("main;b 1\n".repeat(11), Map.of()))).block())
        .isInstanceOfSatisfying(
            IngestException.class,
            e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.OVERLOADED));
    gate.tryEmitEmpty();
    held.block();
    awaitNothingInFlight();
  }

  @Test
  void aGzipBombStopsAtTheDecompressedLimit() {
    core(limits());
    byte[] bomb = Gzip.gzip(new byte[80 << 20]);
    assertThatThrownBy(() -> core.ingest(request(folded("", Map.of()))).block())
        .isInstanceOf(IngestException.class);
    assertThatThrownBy(
            () ->
                core.ingest(request(new Payload.Folded(bomb, ProfileType.CPU, 1, Map.of(), NOW, 0)))
                    .block())
        .isInstanceOfSatisfying(
            IngestException.class,
            e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.TOO_LARGE));
  }
}
