package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  @Test
  void defaults() {
    AgentConfig c = AgentConfig.parse("--server", "localhost:4317");
    assertThat(c.frequencyHz()).isEqualTo(19);
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.stackBytes()).isEqualTo(16384);
    assertThat(c.duration()).isNull();
  }

  @Test
  void oneShotDefaultsToThirtySeconds() {
    assertThat(AgentConfig.parse("--output", "cpu.pb.gz").duration())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(AgentConfig.parse("--output=cpu.pb.gz", "--duration", "500ms").duration())
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void configFileThenFlags(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.properties");
    Files.writeString(file, "server=h:1\nfrequency=99\ntoken=t\n");
    AgentConfig c = AgentConfig.parse("--config", file.toString(), "--frequency", "49");
    assertThat(c.server()).isEqualTo("h:1");
    assertThat(c.token()).isEqualTo("t");
    assertThat(c.frequencyHz()).isEqualTo(49);
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(
            () -> AgentConfig.parse("--frequency", "0", "--bogus", "1", "--interval", "x"))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("--frequency must be")
        .hasMessageContaining("unknown option --bogus")
        .hasMessageContaining("--interval must be a duration")
        .hasMessageContaining("give --server")
        .satisfies(
            e -> assertThat(((AgentException) e).exitCode()).isEqualTo(AgentException.USAGE));
  }

  @Test
  void profileTypesAndBudgets() {
    AgentConfig c =
        AgentConfig.parse(
            "--output",
            "x.pb.gz",
            "--pid",
            "42",
            "--no-cpu",
            "--off-cpu",
            "--off-cpu-min",
            "5ms",
            "--alloc",
            "--alloc-interval",
            "4096",
            "--block-io",
            "--container",
            "abc,def",
            "--cpu-budget",
            "2.5",
            "--event-budget",
            "1000");
    assertThat(c.events())
        .isEqualTo(
            new AgentConfig.Events(
                false, true, 5_000_000, true, 4096, "", true, List.of("abc", "def"), 2.5, 1000));
    assertThat(AgentConfig.parse("--output", "x").events()).isEqualTo(AgentConfig.Events.DEFAULT);
  }

  @Test
  void allocNeedsAProcessAndNoCpuNeedsAnotherType() {
    assertThatThrownBy(() -> AgentConfig.parse("--output", "x", "--alloc"))
        .hasMessageContaining("--alloc needs --pid");
    assertThatThrownBy(() -> AgentConfig.parse("--output", "x", "--no-cpu"))
        .hasMessageContaining("--no-cpu leaves nothing to record");
    assertThatThrownBy(() -> AgentConfig.parse("--output", "x", "--cpu-budget", "two"))
        .hasMessageContaining("--cpu-budget must be a number");
  }
}
