package dev.hearth.model.codec.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.model.Attribute;
import dev.hearth.model.Function;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Location;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.ProfileMeaning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jdk.jfr.Recording;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decodes recordings made in this JVM while {@link JfrWorkload} runs. */
class JfrDecoderTest {
  private static final String SPIN = JfrWorkload.CLASS + ".jfrTestSpin";
  private static final String ALLOCATE = JfrWorkload.CLASS + ".jfrTestAllocate";
  private static final String CONTEND = JfrWorkload.CLASS + ".jfrTestContend";
  private static final String PARK = JfrWorkload.CLASS + ".jfrTestPark";
  private static final String WALL = JfrWorkload.CLASS + ".jfrTestWall";
  private static final long TEN_MS = 10_000_000L;

  @TempDir static Path dir;
  static Path recording;
  static List<Profile> profiles;

  @BeforeAll
  static void record() throws Exception {
    recording = dir.resolve("workload.jfr");
    try (Recording r = new Recording()) {
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      r.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s");
      r.enable("jdk.ObjectAllocationInNewTLAB");
      r.enable("jdk.ObjectAllocationOutsideTLAB");
      r.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO);
      r.enable("jdk.ThreadPark").withThreshold(Duration.ZERO);
      r.enable("jdk.ActiveSetting");
      r.enable("profiler.WallClockSample");
      r.start();
      JfrWorkload.run(Duration.ofMillis(700));
      r.stop();
      r.dump(recording);
    }
    // A fallback unlike the recorded period shows whether the recording's own setting was used.
    profiles = JfrDecoder.decode(recording, options().withFallbackPeriod(Duration.ofMillis(7)));
  }

  private static JfrOptions options() {
    return JfrOptions.defaults();
  }

  @Test
  void cpuSamplesCarryTheRecordedPeriodAndTheSpinningMethod() {
    Profile cpu = profile(profiles, JfrProfileTypes.CPU);

    assertThat(cpu.type().id()).isEqualTo("process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    assertThat(cpu.period()).isEqualTo(TEN_MS);
    assertThat(cpu.samples()).allSatisfy(s -> assertThat(s.value()).isEqualTo(s.count() * TEN_MS));
    List<Sample> spinning = cpu.samples().stream().filter(s -> leafSide(s, SPIN)).toList();
    assertThat(spinning).isNotEmpty();
    assertThat(spinning.stream().mapToLong(Sample::value).sum()).isPositive();
    assertThat(spinning.getFirst().attributes())
        .contains(Attribute.string("thread.name", "jfr-test-spin"))
        .anyMatch(a -> a.key().equals("thread.id") && a.isNumeric() && a.num() > 0);
  }

  @Test
  void everyProfileSpansTheRecordingWithPerSecondTimestamps() {
    assertThat(profiles).isNotEmpty();
    for (Profile p : profiles) {
      assertThat(p.labels()).isEqualTo(LabelSet.EMPTY);
      assertThat(p.temporality()).isEqualTo(Temporality.DELTA);
      assertThat(p.timeNanos()).isPositive();
      assertThat(p.durationNanos()).isBetween(500_000_000L, 60_000_000_000L);
      assertThat(p.samples())
          .allSatisfy(
              s -> {
                assertThat(s.timestampNanos() % 1_000_000_000L).isZero();
                assertThat(s.timestampNanos())
                    .isBetween(p.timeNanos() - 1_000_000_000L, p.timeNanos() + p.durationNanos());
                assertThat(s.count()).isPositive();
              });
      // Nothing left to merge: identical (stack, attributes, second) were summed on the way in.
      assertThat(p.merged().samples()).hasSameSizeAs(p.samples());
    }
  }

  @Test
  void allocationProfilesHaveBytesAndObjectsForTheAllocatingMethod() {
    for (ProfileType bytesType :
        List.of(
            JfrProfileTypes.ALLOC_SAMPLE_BYTES,
            JfrProfileTypes.ALLOC_IN_NEW_TLAB_BYTES,
            JfrProfileTypes.ALLOC_OUTSIDE_TLAB_BYTES)) {
      assertThat(total(profile(profiles, bytesType), ALLOCATE)).as(bytesType.id()).isPositive();
    }
    Profile outsideObjects = profile(profiles, JfrProfileTypes.ALLOC_OUTSIDE_TLAB_OBJECTS);
    Profile outsideBytes = profile(profiles, JfrProfileTypes.ALLOC_OUTSIDE_TLAB_BYTES);
    assertThat(total(outsideObjects, ALLOCATE)).isEqualTo(count(outsideBytes, ALLOCATE));
    // The 4 MiB arrays go outside a TLAB (a small one may too, when its TLAB is nearly full).
    assertThat(total(outsideBytes, ALLOCATE)).isGreaterThanOrEqualTo(4L << 20);
  }

  @Test
  void monitorAndParkContentionShowTheContendingMethods() {
    Profile contentions = profile(profiles, JfrProfileTypes.MUTEX_CONTENTIONS);
    Profile delay = profile(profiles, JfrProfileTypes.MUTEX_DELAY);
    assertThat(contentions.type().id()).isEqualTo("mutex:contentions:count:mutex:count");
    assertThat(total(contentions, CONTEND)).isPositive();
    assertThat(total(delay, CONTEND)).isPositive();
    assertThat(contentions.totalValue()).isEqualTo(contentions.totalCount());

    Profile parks = profile(profiles, JfrProfileTypes.BLOCK_CONTENTIONS);
    assertThat(parks.type().id()).isEqualTo("block:contentions:count:block:count");
    assertThat(total(parks, PARK)).isPositive();
    assertThat(total(profile(profiles, JfrProfileTypes.BLOCK_DELAY), PARK)).isPositive();
  }

  @Test
  void wallClockSamplesAreWeightedByTheirSampleCountAndCarryContextAttributes() throws Exception {
    List<Profile> withContexts =
        JfrDecoder.decode(
            recording,
            options()
                .withFallbackPeriod(Duration.ofMillis(50))
                .withContextAttributes(
                    id -> List.of(Attribute.string("span_name", "context-" + id))));
    Profile wall = profile(withContexts, JfrProfileTypes.WALL);

    assertThat(wall.type().id()).isEqualTo("wall:wall:nanoseconds:wall:nanoseconds");
    assertThat(wall.totalCount()).isEqualTo(5 * JfrWorkload.WALL_SAMPLES);
    assertThat(wall.totalValue()).isEqualTo(5 * JfrWorkload.WALL_SAMPLES * 50_000_000L);
    assertThat(wall.samples())
        .allSatisfy(
            s -> {
              assertThat(s.stack().functionNamesRootFirst()).contains(WALL);
              assertThat(s.attributes())
                  .contains(
                      Attribute.string("span_name", "context-" + JfrWorkload.CONTEXT_ID),
                      Attribute.string("thread.name", "jfr-test-wall"));
            });
    // Without a resolver the context id is ignored.
    assertThat(profile(profiles, JfrProfileTypes.WALL).samples())
        .allSatisfy(s -> assertThat(s.attributes()).noneMatch(a -> a.key().equals("span_name")));
  }

  @Test
  void nativeSamplesAsWallAddsExecutionSamplesToWall() throws Exception {
    List<Profile> decoded = JfrDecoder.decode(recording, options().withNativeSamplesAsWall(true));
    long cpu = profile(decoded, JfrProfileTypes.CPU).totalValue();
    long wallClockEvents = 5 * JfrWorkload.WALL_SAMPLES * JfrOptions.DEFAULT_PERIOD_NANOS;

    assertThat(profile(decoded, JfrProfileTypes.WALL).totalValue())
        .isEqualTo(cpu + wallClockEvents);
  }

  @Test
  void framesAreJvmLocationsWithLinesAndDescriptors() {
    Sample spinning =
        profile(profiles, JfrProfileTypes.CPU).samples().stream()
            .filter(s -> leafSide(s, SPIN))
            .findFirst()
            .orElseThrow();
    Location location =
        spinning.stack().locations().stream()
            .filter(l -> l.function() != null && l.function().name().equals(SPIN))
            .findFirst()
            .orElseThrow();
    Function f = location.function();

    assertThat(location.frameType()).isEqualTo("jvm");
    assertThat(location.lines().getFirst().line()).isPositive();
    assertThat(f.systemName()).isEqualTo(SPIN + "(J)V");
    assertThat(f.filename()).isEmpty();
    assertThat(spinning.stack().functionNamesRootFirst().getFirst())
        .isEqualTo("java.lang.Thread.run");
  }

  @Test
  void optionsSwitchThreadAttributesOffAndClassNamesToSlashes() throws Exception {
    List<Profile> decoded =
        JfrDecoder.decode(
            recording, options().withThreadAttributes(false).withSlashedClassNames(true));
    Profile cpu = profile(decoded, JfrProfileTypes.CPU);

    assertThat(cpu.samples()).allSatisfy(s -> assertThat(s.attributes()).isEmpty());
    assertThat(total(cpu, JfrWorkload.CLASS.replace('.', '/') + ".jfrTestSpin")).isPositive();
    assertThat(total(cpu, SPIN)).isZero();
    // Fewer rows once samples of different threads with equal stacks merge.
    assertThat(cpu.samples().size())
        .isLessThanOrEqualTo(profile(profiles, JfrProfileTypes.CPU).samples().size());
    assertThat(cpu.totalValue()).isEqualTo(profile(profiles, JfrProfileTypes.CPU).totalValue());
  }

  @Test
  void bytesPlainOrGzipDecodeLikeTheFile() throws Exception {
    byte[] plain = Files.readAllBytes(recording);
    JfrOptions options = options().withFallbackPeriod(Duration.ofMillis(7));

    assertThat(meanings(JfrDecoder.decode(plain, options))).isEqualTo(meanings(profiles));
    assertThat(meanings(JfrDecoder.decode(Gzip.gzip(plain), options)))
        .isEqualTo(meanings(profiles));
    Path gzipped = dir.resolve("workload.jfr.gz");
    Files.write(gzipped, Gzip.gzip(plain));
    assertThat(meanings(JfrDecoder.decode(gzipped, options))).isEqualTo(meanings(profiles));
  }

  @Test
  void aRecordingWithoutProfilingEventsIsEmpty() throws Exception {
    Path quiet = dir.resolve("quiet.jfr");
    try (Recording r = new Recording()) {
      r.enable("jdk.JVMInformation");
      r.start();
      r.stop();
      r.dump(quiet);
    }

    assertThat(JfrDecoder.decode(quiet, options())).isEmpty();
  }

  @Test
  void garbageIsRejected() {
    byte[] garbage = new byte[4096];
    new Random(1).nextBytes(garbage);

    assertThatThrownBy(() -> JfrDecoder.decode(garbage, options()))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("not a JFR recording");
    assertThatThrownBy(() -> JfrDecoder.decode(new byte[0], options()))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> JfrDecoder.decode(Gzip.gzip(garbage), options()))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("not a JFR recording");
  }

  @Test
  void aTruncatedRecordingIsRejected() throws Exception {
    byte[] plain = Files.readAllBytes(recording);
    byte[] truncated = Arrays.copyOf(plain, plain.length / 2);

    assertThatThrownBy(() -> JfrDecoder.decode(truncated, options()))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("JFR recording is corrupt");
  }

  @Test
  void oversizedInputIsRefused() throws Exception {
    byte[] plain = Files.readAllBytes(recording);

    assertThatThrownBy(
            () -> JfrDecoder.decode(Gzip.gzip(plain), options().withMaxDecompressedBytes(1024)))
        .isInstanceOfSatisfying(
            ProfileDecodeException.class, e -> assertThat(e.tooLarge()).isTrue());
  }

  static Profile profile(List<Profile> profiles, ProfileType type) {
    return profiles.stream()
        .filter(p -> p.type().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " profile in " + types(profiles)));
  }

  static List<String> types(List<Profile> profiles) {
    return profiles.stream().map(p -> p.type().id()).toList();
  }

  /** Whether {@code function} is the leaf or its caller: where a sample was taken. */
  static boolean leafSide(Sample s, String function) {
    List<Function> leafFirst = s.stack().functionsLeafFirst();
    for (int i = 0; i < Math.min(2, leafFirst.size()); i++) {
      if (leafFirst.get(i).name().equals(function)) {
        return true;
      }
    }
    return false;
  }

  /** Sum of values of samples whose stack contains {@code function}. */
  static long total(Profile p, String function) {
    return p.samples().stream()
        .filter(s -> s.stack().functionNamesRootFirst().contains(function))
        .mapToLong(Sample::value)
        .sum();
  }

  /** Sum of counts of samples whose stack contains {@code function}. */
  static long count(Profile p, String function) {
    return p.samples().stream()
        .filter(s -> s.stack().functionNamesRootFirst().contains(function))
        .mapToLong(Sample::count)
        .sum();
  }

  private static List<ProfileMeaning> meanings(List<Profile> decoded) {
    return decoded.stream().map(ProfileMeaning::of).toList();
  }
}
