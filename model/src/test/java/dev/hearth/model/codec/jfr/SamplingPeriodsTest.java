package dev.hearth.model.codec.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplingPeriodsTest {
  private static final long EXECUTION = 123;
  private static final long RECORDING = 107;

  @Test
  void parsesJfrDurations() {
    assertThat(SamplingPeriods.parseDuration("20000000 ns")).isEqualTo(20_000_000L);
    assertThat(SamplingPeriods.parseDuration("10 ms")).isEqualTo(10_000_000L);
    assertThat(SamplingPeriods.parseDuration("10ms")).isEqualTo(10_000_000L);
    assertThat(SamplingPeriods.parseDuration("1 s")).isEqualTo(1_000_000_000L);
    assertThat(SamplingPeriods.parseDuration("50 us")).isEqualTo(50_000L);
    assertThat(SamplingPeriods.parseDuration("everyChunk")).isZero();
    assertThat(SamplingPeriods.parseDuration("10 parsecs")).isZero();
    assertThat(SamplingPeriods.parseDuration("99999999999999999999 d")).isZero();
  }

  @Test
  void thePeriodInForceIsTheLatestWrittenBeforeTheSample() {
    SamplingPeriods periods = new SamplingPeriods();
    periods.add(EXECUTION, "enabled", "true", 1_000);
    periods.add(EXECUTION, "period", "20 ms", 1_000);
    periods.add(EXECUTION, "period", "10 ms", 5_000);

    assertThat(periods.executionPeriod(EXECUTION, 500)).isEqualTo(20_000_000L);
    assertThat(periods.executionPeriod(EXECUTION, 4_999)).isEqualTo(20_000_000L);
    assertThat(periods.executionPeriod(EXECUTION, 5_000)).isEqualTo(10_000_000L);
    assertThat(periods.executionPeriod(EXECUTION + 1, 5_000)).isZero();
    assertThat(periods.period(EXECUTION, 6_000)).isEqualTo(10_000_000L);
  }

  @Test
  void asyncProfilerIntervalsAreNanosecondsOnlyForTimerEvents() {
    SamplingPeriods itimer = new SamplingPeriods();
    itimer.add(EXECUTION, "interval", "10000000", 1);
    itimer.add(RECORDING, "event", "itimer", 1);
    assertThat(itimer.executionPeriod(EXECUTION, 2)).isEqualTo(10_000_000L);
    assertThat(itimer.profilerSampledWall()).isFalse();
    assertThat(itimer.wallPeriod(EXECUTION, 2)).isZero();

    SamplingPeriods cycles = new SamplingPeriods();
    cycles.add(EXECUTION, "interval", "1000000", 1);
    cycles.add(RECORDING, "event", "cycles", 1);
    assertThat(cycles.executionPeriod(EXECUTION, 2)).isZero();

    SamplingPeriods wall = new SamplingPeriods();
    wall.add(RECORDING, "event", "wall", 1);
    wall.add(EXECUTION, "interval", "50000000", 1);
    assertThat(wall.profilerSampledWall()).isTrue();
    assertThat(wall.wallPeriod(EXECUTION, 2)).isEqualTo(50_000_000L);

    SamplingPeriods separateWall = new SamplingPeriods();
    separateWall.add(RECORDING, "event", "cpu", 1);
    separateWall.add(EXECUTION, "interval", "10000000", 1);
    separateWall.add(EXECUTION, "wall", "20000000", 1);
    assertThat(separateWall.executionPeriod(EXECUTION, 2)).isEqualTo(10_000_000L);
    assertThat(separateWall.wallPeriod(EXECUTION, 2)).isEqualTo(20_000_000L);
  }
}
