package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test: a C program without frame pointers and a JIT-compiled Java program,
 * each profiled for a few seconds with {@code --pid}; at least 90% of their samples carry the full
 * chain main → a → b → hot, named, in order.
 */
class ChainProfileIT {
  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void cWithoutFramePointersUnwindsThroughEhFrame(@TempDir Path dir) throws Exception {
    Path binary = Workloads.compileC(dir);
    Process workload = Workloads.startC(binary, 6);
    try {
      Thread.sleep(200);
      List<Profile> profiles =
          Workloads.profile(Workloads.config(workload.pid(), 99), Duration.ofSeconds(3));
      double share = Workloads.shareWithChain(profiles, Workloads.C_CHAIN);
      System.out.printf(
          "C chain: %.1f%% of %d samples carry main→a→b→hot%n",
          share * 100, Workloads.count(profiles));
      assertThat(Workloads.count(profiles)).isGreaterThan(50);
      assertThat(share).as(Workloads.top(profiles)).isGreaterThanOrEqualTo(0.9);
      Profile p = profiles.getFirst();
      assertThat(p.type()).isEqualTo(ProfileType.CPU);
      assertThat(p.period()).isEqualTo(1_000_000_000L / 99);
      assertThat(p.labels().get("service_name")).isEqualTo("chain");
      assertThat(p.labels().get("process_executable_name")).isEqualTo("chain");
      assertThat(p.samples().getFirst().attributes())
          .extracting(a -> a.key())
          .containsExactly("pid", "thread.name");
      var leaf = p.samples().getFirst().stack().locations().getFirst();
      assertThat(leaf.mapping()).isNotNull();
      assertThat(leaf.mapping().buildId()).isNotEmpty();
    } finally {
      workload.destroy();
    }
  }

  @Test
  void javaWithPreserveFramePointerIsNamedFromThePerfMap() throws Exception {
    Process workload = Workloads.startJava(8);
    try {
      Thread.sleep(2500); // start-up and JIT compilation
      List<Profile> profiles =
          Workloads.profile(Workloads.config(workload.pid(), 99), Duration.ofSeconds(3));
      double share = Workloads.shareWithChain(profiles, Workloads.JAVA_CHAIN);
      System.out.printf(
          "Java chain: %.1f%% of %d samples carry main→a→b→hot%n",
          share * 100, Workloads.count(profiles));
      assertThat(Workloads.count(profiles)).isGreaterThan(50);
      assertThat(share).as(Workloads.top(profiles)).isGreaterThanOrEqualTo(0.9);
    } finally {
      workload.destroy();
    }
  }
}
