package dev.hearth.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One export request the real OpenTelemetry eBPF profiler (v0.0.202633, built by {@code
 * compat/otel-ebpf/run.sh}) sent while it profiled {@code hearth-chain} on this project's machine,
 * kept byte for byte ({@code compat/otel-ebpf/make-fixture.sh} remakes it). Its CPU samples must
 * land under the CPU type Hearth's agent writes, with the labels the agent writes for the same
 * process (what {@code run.sh} saw the agent store: service_name, process_executable_name,
 * host_name).
 */
class OtelEbpfFixtureTest {
  private static final String FIXTURE = "/otel-ebpf/export-v0.0.202633.pb";

  /** The profiler's period at {@code -samples-per-second 20}. */
  private static final long PERIOD = 50_000_000L;

  private final RecordingWriter writer = new RecordingWriter();
  // The recording's times are its own: a retention of a century keeps them current.
  private final IngestCore core =
      new IngestCore(
          writer,
          IngestLimits.defaults().withRetention(Duration.ofDays(36_500)),
          IngestListener.NONE);

  @AfterEach
  void close() {
    core.close();
  }

  private static byte[] fixture() throws IOException {
    try (InputStream in =
        Objects.requireNonNull(OtelEbpfFixtureTest.class.getResourceAsStream(FIXTURE), FIXTURE)) {
      return in.readAllBytes();
    }
  }

  private List<Profile> ingest(byte[] otlp) {
    IngestResult result =
        core.ingest(new IngestRequest("t1", "test", List.of(new Payload.Otlp(otlp, false)), true))
            .block();
    assertThat(result).isNotNull();
    List<Profile> stored = new ArrayList<>();
    writer.batches.forEach(b -> stored.addAll(b.profiles()));
    return stored;
  }

  private static List<Profile> of(List<Profile> stored, String exe) {
    return stored.stream()
        .filter(p -> exe.equals(p.labels().get("process_executable_name")))
        .toList();
  }

  @Test
  void theProfilersCpuSamplesLandUnderTheAgentsCpuTypeWithTheAgentsLabels() throws IOException {
    // In its documented deployment the OTel Collector's resourcedetection processor adds
    // host.name; run.sh's relay does the same. Added here as the collector adds it.
    ExportProfilesServiceRequest.Builder request =
        ExportProfilesServiceRequest.parseFrom(fixture()).toBuilder();
    assertThat(request.getResourceProfilesCount()).isGreaterThan(1);
    request
        .getResourceProfilesBuilderList()
        .forEach(
            rp ->
                rp.getResourceBuilder()
                    .addAttributes(
                        KeyValue.newBuilder()
                            .setKey("host.name")
                            .setValue(AnyValue.newBuilder().setStringValue("vm"))));

    List<Profile> stored = ingest(request.build().toByteArray());

    assertThat(stored).isNotEmpty();
    assertThat(stored).extracting(Profile::type).containsOnly(ProfileType.CPU);
    assertThat(ProfileType.CPU.id()).isEqualTo("process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    List<Profile> chain = of(stored, "hearth-chain");
    assertThat(chain).isNotEmpty();
    assertThat(chain)
        .extracting(Profile::labels)
        .containsOnly(
            LabelSet.of(
                "service_name", "hearth-chain",
                "process_executable_name", "hearth-chain",
                "host_name", "vm"));
    // Each sample is its count of 20 Hz ticks, worth 50 ms of CPU each.
    for (Profile p : chain) {
      assertThat(p.period()).isEqualTo(PERIOD);
      assertThat(p.samples())
          .allSatisfy(
              s -> {
                assertThat(s.count()).isPositive();
                assertThat(s.value()).isEqualTo(s.count() * PERIOD);
              });
    }
    long ticks = chain.stream().flatMap(p -> p.samples().stream()).mapToLong(s -> s.count()).sum();
    assertThat(ticks).isGreaterThan(10);
  }

  @Test
  void asSentEveryProcessIsNamedByItsExecutableAndOnlyHostNameIsMissing() throws IOException {
    List<Profile> stored = ingest(fixture());

    assertThat(stored).extracting(Profile::type).containsOnly(ProfileType.CPU);
    assertThat(of(stored, "hearth-chain"))
        .extracting(Profile::labels)
        .containsOnly(
            LabelSet.of("service_name", "hearth-chain", "process_executable_name", "hearth-chain"));
    // Descriptive attributes (process.executable.path, process.pid, thread.*) never become series
    // labels, so a process's series is exactly service_name + process_executable_name. Kernel
    // threads (kdamond, ksoftirqd) come with no process attributes at all: unknown_service.
    assertThat(stored)
        .allSatisfy(
            p -> {
              String exe = p.labels().get("process_executable_name");
              if (exe == null) {
                assertThat(p.labels()).isEqualTo(LabelSet.of("service_name", "unknown_service"));
              } else {
                assertThat(p.labels().get("service_name")).isEqualTo(exe);
                assertThat(p.labels().size()).isEqualTo(2);
              }
            });
    // The profiler profiles the whole machine: the target and at least the server's JVM.
    assertThat(
            stored.stream()
                .map(p -> String.valueOf(p.labels().get("process_executable_name")))
                .distinct())
        .contains("hearth-chain")
        .hasSizeGreaterThan(1);
  }
}
