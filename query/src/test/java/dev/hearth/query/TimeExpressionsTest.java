package dev.hearth.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeExpressionsTest {
  private static final long NOW = 1_764_000_000_123_456_789L;
  private static final long S = 1_000_000_000L;

  @Test
  void relativeExpressions() {
    assertThat(TimeExpressions.parseTime("from", "now", NOW)).isEqualTo(NOW);
    assertThat(TimeExpressions.parseTime("from", "now-6h", NOW)).isEqualTo(NOW - 6 * 3600 * S);
    assertThat(TimeExpressions.parseTime("from", "now-30m", NOW)).isEqualTo(NOW - 1800 * S);
    assertThat(TimeExpressions.parseTime("from", "now-1h30m", NOW)).isEqualTo(NOW - 5400 * S);
    assertThat(TimeExpressions.parseTime("until", "now+1d", NOW)).isEqualTo(NOW + 86_400 * S);
  }

  @Test
  void epochNumbersByMagnitude() {
    assertThat(TimeExpressions.parseTime("from", "1764000000", NOW)).isEqualTo(1_764_000_000 * S);
    assertThat(TimeExpressions.parseTime("from", "1764000000123", NOW))
        .isEqualTo(1_764_000_000_123_000_000L);
    assertThat(TimeExpressions.parseTime("from", "1764000000123456", NOW))
        .isEqualTo(1_764_000_000_123_456_000L);
    assertThat(TimeExpressions.parseTime("from", "1764000000123456789", NOW))
        .isEqualTo(1_764_000_000_123_456_789L);
  }

  @Test
  void errorsNameTheParameterAndColumn() {
    assertThatThrownBy(() -> TimeExpressions.parseTime("from", "now-6x", NOW))
        .hasMessageContaining("from:")
        .hasMessageContaining("unknown unit 'x'")
        .hasMessageContaining("column 6");
    assertThatThrownBy(() -> TimeExpressions.parseTime("until", "yesterday", NOW))
        .hasMessageContaining("until:")
        .hasMessageContaining("column 1");
    assertThatThrownBy(() -> TimeExpressions.parseTime("from", "now*2", NOW))
        .hasMessageContaining("column 4");
  }

  @Test
  void durationsAndAutomaticSteps() {
    assertThat(TimeExpressions.parseDuration("step", "15s")).isEqualTo(15 * S);
    assertThat(TimeExpressions.parseDuration("step", "60")).isEqualTo(60 * S);
    assertThat(Steps.auto(3600 * S)).isEqualTo(30 * S);
    assertThat(Steps.auto(24 * 3600 * S)).isEqualTo(900 * S);
    assertThat(Steps.correlate(3600 * S)).isEqualTo(30 * S);
  }

  @Test
  void timesThatOverflowAreRefusedNamingTheParameter() {
    long now = 1_764_100_000_000_000_000L;
    for (String t :
        List.of(
            "now-100000000d",
            "now+100000000d",
            "now-9999999999999999999s",
            "now-100y",
            "now-30000w",
            "now-60y")) {
      assertThatThrownBy(() -> TimeExpressions.parseTime("from", t, now))
          .as(t)
          .isInstanceOf(InvalidQueryException.class)
          .hasMessageContaining("from");
    }
  }
}
