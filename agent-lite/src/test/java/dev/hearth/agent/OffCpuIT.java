package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The off-CPU acceptance test: a C program (no frame pointers) sleeps 10 × 200 ms in main →
 * a → sleep_here; its off-CPU total along that stack is within ±20% of the 2 s it slept.
 */
class OffCpuIT {
  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void sleepingThreadShowsItsSleepTime(@TempDir Path dir) throws Exception {
    check(dir, 10, 200, 1);
  }

  /** The adaptive controller's knob: one episode in 4 sent, values scaled by 4. */
  @Test
  void oneInFourEpisodesScaledBackGivesTheSameTotal(@TempDir Path dir) throws Exception {
    check(dir, 40, 50, 4);
  }

  /** The controller's last resort: detached and attached again (a new epoch), still right. */
  @Test
  void pausedAndResumedStillCounts(@TempDir Path dir) throws Exception {
    check(dir, 10, 200, -1);
  }

  private static void check(Path dir, int sleeps, int ms, int sampling) throws Exception {
    int oneIn = Math.max(1, sampling);
    Path binary = Workloads.compileC(dir, "sleeper");
    Process workload =
        new ProcessBuilder(binary.toString(), Integer.toString(sleeps), Integer.toString(ms))
            .start();
    List<Profile> profiles = Collections.synchronizedList(new ArrayList<>());
    AgentConfig config =
        Workloads.config(workload.pid(), 19)
            .withEvents(
                new AgentConfig.Events(
                    false, true, 1_000_000, false, 524288, "", false, List.of(), 0, 0));
    long started;
    long ended;
    try (Profiler profiler = new Profiler(config, b -> profiles.addAll(b.profiles()))) {
      profiler.start();
      profiler.setOffCpuOneIn(oneIn);
      if (sampling < 0) {
        profiler.pauseOffCpu(true);
        Thread.sleep(100);
        profiler.pauseOffCpu(false);
      }
      started = System.nanoTime();
      try (OutputStream in = workload.getOutputStream()) {
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
      }
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(workload.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("done");
      ended = System.nanoTime();
      assertThat(workload.waitFor(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(300); // the last records reach the ring buffer
    } finally {
      workload.destroy();
    }
    long slept = Workloads.valueWith(profiles, ProfileType.OFF_CPU, "sleep_here");
    long chain =
        (long)
            (Workloads.shareWithChain(
                    profiles.stream().filter(p -> p.type().equals(ProfileType.OFF_CPU)).toList(),
                    List.of("main", "a", "sleep_here"))
                * profiles.stream()
                    .filter(p -> p.type().equals(ProfileType.OFF_CPU))
                    .mapToLong(Profile::totalValue)
                    .sum());
    System.out.printf(
        "off-CPU (1 in %d): %.3f s along main→a→sleep_here (%.3f s with sleep_here), real sleep"
            + " %.3f s, wall %.3f s%n",
        oneIn, chain / 1e9, slept / 1e9, sleeps * ms / 1e3, (ended - started) / 1e9);
    double real = sleeps * ms / 1e3;
    assertThat(slept / 1e9)
        .as(Workloads.top(profiles, ProfileType.OFF_CPU))
        .isBetween(real * 0.8, real * 1.2);
    List<Profile> off =
        profiles.stream().filter(p -> p.type().equals(ProfileType.OFF_CPU)).toList();
    assertThat(off).allSatisfy(p -> assertThat(p.period()).isEqualTo(oneIn));
    // Episodes sent: one in oneIn (the last short ones of start-up may add a few).
    assertThat(off.stream().mapToLong(Profile::totalCount).sum()).isLessThan(sleeps / oneIn + 4);
    assertThat(chain / 1e9)
        .as(Workloads.top(profiles, ProfileType.OFF_CPU))
        .isBetween(real * 0.8, real * 1.2);
  }
}
