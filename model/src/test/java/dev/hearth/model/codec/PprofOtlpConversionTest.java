package dev.hearth.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import dev.hearth.model.codec.otlp.OtlpDecoder;
import dev.hearth.model.codec.otlp.OtlpEncoder;
import dev.hearth.model.codec.pprof.PprofDecoder;
import dev.hearth.model.codec.pprof.PprofEncoder;
import dev.hearth.model.codec.pprof.PprofOptions;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pprof → OTLP → pprof keeps sample types, samples, labels, frames, period, time and duration. */
class PprofOtlpConversionTest {
  private static final long MAX = 64L << 20;

  private static List<ProfileMeaning> meanings(List<Profile> profiles) {
    return profiles.stream().map(p -> ProfileMeaning.of(p, false)).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"go-cpu.pb.gz", "go-heap.pb.gz"})
  void realGoProfilesSurvivePprofToOtlpToPprof(String fixture) throws Exception {
    List<Profile> fromPprof = PprofDecoder.decode(Fixtures.bytes(fixture), PprofOptions.defaults());

    ExportProfilesServiceRequest otlp = OtlpEncoder.encode(fromPprof);
    // One OTLP profile per pprof sample type.
    int otlpProfiles =
        otlp.getResourceProfilesList().stream()
            .flatMap(r -> r.getScopeProfilesList().stream())
            .mapToInt(s -> s.getProfilesCount())
            .sum();
    assertThat(otlpProfiles).isEqualTo(fromPprof.size());

    List<Profile> fromOtlp = OtlpDecoder.decode(otlp.toByteArray(), MAX);
    assertThat(meanings(fromOtlp)).isEqualTo(meanings(fromPprof));

    List<Profile> backToPprof =
        PprofDecoder.decode(PprofEncoder.encodeGzip(fromOtlp), PprofOptions.defaults());
    assertThat(meanings(backToPprof)).isEqualTo(meanings(fromPprof));
    assertThat(backToPprof)
        .extracting(Profile::type)
        .isEqualTo(fromPprof.stream().map(Profile::type).toList());
  }

  @Test
  void labelsPeriodAndCountsTravelThroughOtlp() throws Exception {
    dev.hearth.model.LabelSet labels =
        dev.hearth.model.LabelSet.of("service_name", "api", "host_name", "web-1");
    List<Profile> both =
        PprofDecoder.decode(
                dev.hearth.model.codec.pprof.PprofCodecTest.goLikeCpuProfile(),
                PprofOptions.defaults())
            .stream()
            .map(p -> p.withLabels(labels))
            .toList();
    List<Profile> back = OtlpDecoder.decode(OtlpEncoder.toBytes(both), MAX);
    assertThat(back.stream().map(ProfileMeaning::of).toList())
        .isEqualTo(both.stream().map(ProfileMeaning::of).toList());
    Profile cpu = back.get(1);
    assertThat(cpu.period()).isEqualTo(10_000_000);
    assertThat(cpu.labels().get("service_name")).isEqualTo("api");
    // The cpu profile's counts come back from its samples/count sibling.
    assertThat(cpu.totalCount()).isEqualTo(4);
    // Sample labels (pprof) are sample attributes (OTLP) and come back as they were.
    assertThat(cpu.samples().get(1).attributes())
        .isEqualTo(both.get(1).samples().get(1).attributes());

    // Alone, a nanoseconds profile has nothing to count with: each sample counts once.
    Profile alone = OtlpDecoder.decode(OtlpEncoder.toBytes(List.of(both.get(1))), MAX).getFirst();
    assertThat(alone.totalCount()).isEqualTo(alone.samples().size());
  }
}
