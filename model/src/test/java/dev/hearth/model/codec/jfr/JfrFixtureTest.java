package dev.hearth.model.codec.jfr;

import static dev.hearth.model.codec.jfr.JfrDecoderTest.count;
import static dev.hearth.model.codec.jfr.JfrDecoderTest.leafSide;
import static dev.hearth.model.codec.jfr.JfrDecoderTest.profile;
import static dev.hearth.model.codec.jfr.JfrDecoderTest.total;
import static dev.hearth.model.codec.jfr.JfrDecoderTest.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Location;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decodes {@code fixtures/java.jfr}, recorded by the JDK from {@code HearthJfrWorkload} (see the
 * fixtures README for the names it must contain). Counts are read from the file, never hard-coded.
 */
class JfrFixtureTest {
  private static final String W = "HearthJfrWorkload.";

  @TempDir static Path dir;
  static Path fixture;
  static List<Profile> profiles;

  @BeforeAll
  static void decode() throws Exception {
    fixture = dir.resolve("java.jfr");
    try (InputStream in =
        Objects.requireNonNull(
            JfrFixtureTest.class.getResourceAsStream("/fixtures/java.jfr"),
            "fixtures/java.jfr is missing: run scripts/fixtures/make-fixtures.sh jfr")) {
      Files.copy(in, fixture);
    }
    profiles = JfrDecoder.decode(fixture, JfrOptions.defaults());
  }

  @Test
  void yieldsPyroscopesTypesForTheEnabledEvents() {
    assertThat(types(profiles))
        .containsExactly(
            "process_cpu:cpu:nanoseconds:cpu:nanoseconds",
            "memory:alloc_in_new_tlab_objects:count:space:bytes",
            "memory:alloc_in_new_tlab_bytes:bytes:space:bytes",
            "memory:alloc_outside_tlab_objects:count:space:bytes",
            "memory:alloc_outside_tlab_bytes:bytes:space:bytes",
            "memory:alloc_sample_objects:count:space:bytes",
            "memory:alloc_sample_bytes:bytes:space:bytes",
            "mutex:contentions:count:mutex:count",
            "mutex:delay:nanoseconds:mutex:count",
            "block:contentions:count:block:count",
            "block:delay:nanoseconds:block:count");
  }

  @Test
  void workloadFunctionsAppearInTheirProfiles() {
    Profile cpu = profile(profiles, JfrProfileTypes.CPU);
    assertThat(cpu.samples()).anyMatch(s -> leafSide(s, W + "hearthSpinArith"));
    for (String f : List.of("hearthSpin", "hearthHash", "hearthContend", "hearthParkContend")) {
      assertThat(total(cpu, W + f)).as(f).isPositive();
    }
    for (ProfileType allocation :
        List.of(
            JfrProfileTypes.ALLOC_SAMPLE_BYTES,
            JfrProfileTypes.ALLOC_IN_NEW_TLAB_BYTES,
            JfrProfileTypes.ALLOC_OUTSIDE_TLAB_BYTES)) {
      Profile p = profile(profiles, allocation);
      assertThat(p.samples())
          .as(allocation.id())
          .anyMatch(s -> leafSide(s, W + "hearthAllocateChunk"));
      assertThat(total(p, W + "hearthAllocate")).as(allocation.id()).isPositive();
    }
    assertThat(total(profile(profiles, JfrProfileTypes.MUTEX_CONTENTIONS), W + "hearthContend"))
        .isPositive();
    assertThat(total(profile(profiles, JfrProfileTypes.MUTEX_DELAY), W + "hearthContend"))
        .isPositive();
    assertThat(total(profile(profiles, JfrProfileTypes.BLOCK_CONTENTIONS), W + "hearthParkContend"))
        .isPositive();
    assertThat(total(profile(profiles, JfrProfileTypes.BLOCK_DELAY), W + "hearthParkContend"))
        .isPositive();
    // The 2 MiB arrays cannot fit a TLAB (small ones land outside too, when a TLAB is full).
    Profile outside = profile(profiles, JfrProfileTypes.ALLOC_OUTSIDE_TLAB_BYTES);
    assertThat(total(outside, W + "hearthAllocateChunk"))
        .isGreaterThanOrEqualTo(2L << 20)
        .isLessThanOrEqualTo(((2L << 20) + 64) * count(outside, W + "hearthAllocateChunk"));
  }

  @Test
  void countsMatchTheEventsWithStacks() throws Exception {
    Map<String, Long> events = new HashMap<>();
    try (RecordingFile recording = new RecordingFile(fixture)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        if (e.getStackTrace() != null && !e.getStackTrace().getFrames().isEmpty()) {
          events.merge(e.getEventType().getName(), 1L, Long::sum);
        }
      }
    }
    Profile cpu = profile(profiles, JfrProfileTypes.CPU);

    assertThat(cpu.totalCount()).isEqualTo(events.get("jdk.ExecutionSample"));
    // No jdk.ActiveSetting in this recording: every sample is worth the fallback period.
    assertThat(cpu.period()).isEqualTo(JfrOptions.DEFAULT_PERIOD_NANOS);
    assertThat(cpu.totalValue()).isEqualTo(cpu.totalCount() * JfrOptions.DEFAULT_PERIOD_NANOS);
    assertThat(profile(profiles, JfrProfileTypes.ALLOC_SAMPLE_OBJECTS).totalValue())
        .isEqualTo(events.get("jdk.ObjectAllocationSample"));
    assertThat(profile(profiles, JfrProfileTypes.ALLOC_IN_NEW_TLAB_OBJECTS).totalValue())
        .isEqualTo(events.get("jdk.ObjectAllocationInNewTLAB"));
    assertThat(profile(profiles, JfrProfileTypes.ALLOC_OUTSIDE_TLAB_OBJECTS).totalValue())
        .isEqualTo(events.get("jdk.ObjectAllocationOutsideTLAB"));
    assertThat(profile(profiles, JfrProfileTypes.MUTEX_CONTENTIONS).totalValue())
        .isEqualTo(events.get("jdk.JavaMonitorEnter"));
    assertThat(profile(profiles, JfrProfileTypes.BLOCK_CONTENTIONS).totalValue())
        .isEqualTo(events.get("jdk.ThreadPark"));
  }

  @Test
  void stacksEndInThreadRunAndMergeTheGeneratedLambdaClass() {
    Profile cpu = profile(profiles, JfrProfileTypes.CPU);
    Sample spinning =
        cpu.samples().stream()
            .filter(s -> leafSide(s, W + "hearthSpinArith"))
            .filter(s -> s.stack().functionNamesRootFirst().contains(W + "hearthSpin"))
            .findFirst()
            .orElseThrow();

    assertThat(spinning.stack().functionNamesRootFirst())
        .startsWith("java.lang.Thread.run")
        .contains("HearthJfrWorkload$$Lambda_.run", W + "hearthSpin");
    assertThat(spinning.attributes().toString()).contains("thread.name=hearth-spin");
    assertThat(profiles)
        .flatMap(Profile::samples)
        .flatMap(s -> s.stack().locations())
        .extracting(Location::frameType)
        .contains("jvm", "native")
        .doesNotContain("");
  }
}
