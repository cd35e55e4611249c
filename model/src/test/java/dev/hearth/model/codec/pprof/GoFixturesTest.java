package dev.hearth.model.codec.pprof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.Fixtures;
import dev.hearth.model.codec.ProfileMeaning;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Profiles written by Go's runtime/pprof decode to the functions the program contains. */
class GoFixturesTest {

  private static Set<String> functionNames(Profile p) {
    return p.samples().stream()
        .flatMap(s -> s.stack().functionNamesRootFirst().stream())
        .collect(Collectors.toSet());
  }

  @Test
  void cpuProfileNamesTheProgramsFunctions() throws Exception {
    List<Profile> profiles =
        PprofDecoder.decode(Fixtures.bytes("go-cpu.pb.gz"), PprofOptions.goRuntime());
    assertThat(profiles)
        .extracting(Profile::type)
        .containsExactly(ProfileType.CPU_SAMPLES, ProfileType.CPU);
    Profile cpu = profiles.get(1);
    assertThat(functionNames(cpu))
        .contains(
            "main.hearthBurnCPU",
            "main.hearthHashLoop",
            "main.hearthSpinArith",
            "main.main",
            "runtime.main",
            "crypto/sha256.Sum256");
    // 100 Hz: every sample is worth 10 ms of CPU.
    assertThat(cpu.period()).isEqualTo(10_000_000);
    assertThat(cpu.totalValue()).isEqualTo(cpu.totalCount() * 10_000_000);
    assertThat(cpu.totalCount()).isEqualTo(profiles.get(0).totalValue());
    // Stacks go from main.main (root side) to the spinning leaf.
    assertThat(cpu.samples())
        .anySatisfy(
            s -> {
              List<String> names = s.stack().functionNamesRootFirst();
              assertThat(names.indexOf("main.main"))
                  .isLessThan(names.indexOf("main.hearthSpinArith"));
              assertThat(names.getLast()).isEqualTo("main.hearthSpinArith");
            });
  }

  @Test
  void plainAndGzipDecodeAlike() throws Exception {
    List<Profile> gz = PprofDecoder.decode(Fixtures.bytes("go-cpu.pb.gz"), PprofOptions.defaults());
    List<Profile> plain = PprofDecoder.decode(Fixtures.bytes("go-cpu.pb"), PprofOptions.defaults());
    assertThat(plain.stream().map(ProfileMeaning::of).toList())
        .isEqualTo(gz.stream().map(ProfileMeaning::of).toList());
  }

  @Test
  void heapProfileHasAllocationsAndInUseWithCumulativeAllocs() throws Exception {
    List<Profile> profiles =
        PprofDecoder.decode(Fixtures.bytes("go-heap.pb.gz"), PprofOptions.goRuntime());
    assertThat(profiles)
        .extracting(Profile::type)
        .containsExactly(
            ProfileType.ALLOC_OBJECTS,
            ProfileType.ALLOC_SPACE,
            ProfileType.INUSE_OBJECTS,
            ProfileType.INUSE_SPACE);
    Profile alloc = profiles.get(1);
    assertThat(alloc.temporality()).isEqualTo(Temporality.CUMULATIVE);
    assertThat(profiles.get(3).temporality()).isEqualTo(Temporality.DELTA);
    long hearthBytes =
        alloc.samples().stream()
            .filter(s -> s.stack().functionNamesRootFirst().contains("main.hearthAllocate"))
            .mapToLong(Sample::value)
            .sum();
    assertThat(hearthBytes).isGreaterThan(alloc.totalValue() / 2);
    assertThat(functionNames(profiles.get(3))).contains("main.hearthRetain");
    // alloc_space counts come from alloc_objects, sample by sample.
    assertThat(alloc.totalCount()).isEqualTo(profiles.get(0).totalValue());
  }

  @Test
  void realProfilesRoundTripThroughPprof() throws Exception {
    for (String fixture : List.of("go-cpu.pb.gz", "go-heap.pb.gz")) {
      List<Profile> decoded = PprofDecoder.decode(Fixtures.bytes(fixture), PprofOptions.defaults());
      List<Profile> again =
          PprofDecoder.decode(PprofEncoder.encodeGzip(decoded), PprofOptions.defaults());
      assertThat(again.stream().map(ProfileMeaning::of).toList())
          .as(fixture)
          .isEqualTo(decoded.stream().map(ProfileMeaning::of).toList());
    }
  }
}
