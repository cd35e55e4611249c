package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HotSpot without flags (no PreserveFramePointer, no perf map, no attach): at least 95% of the
 * samples carry main → a → b → hot, named from the JVM's own metadata, walked through the code
 * cache by frame sizes.
 */
class JvmProfileIT {
  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/java-17-openjdk-amd64"})
  void plainJvm(String home) throws Exception {
    Path javaHome = Path.of(home);
    Assumptions.assumeTrue(Files.isExecutable(javaHome.resolve("bin/java")), home + " missing");
    Process workload = Workloads.startJavaPlain(javaHome, 9);
    try {
      Thread.sleep(3000); // start-up (source launcher compiles Chain.java) and JIT compilation
      List<Profile> profiles =
          Workloads.profile(Workloads.config(workload.pid(), 99), Duration.ofSeconds(3));
      double share = Workloads.shareWithChain(profiles, Workloads.JAVA_CHAIN);
      System.out.printf(
          "%s: %.1f%% of %d samples carry main→a→b→hot%n",
          home, share * 100, Workloads.count(profiles));
      assertThat(Workloads.count(profiles)).isGreaterThan(50);
      assertThat(share).as(Workloads.top(profiles)).isGreaterThanOrEqualTo(0.95);
      // hot's frames carry the source line of its loop (Chain.java lines 9-13).
      long withLine = 0;
      long all = 0;
      for (Profile p : profiles) {
        for (var s : p.samples()) {
          for (var l : s.stack().locations()) {
            for (var line : l.lines()) {
              if (line.function().name().equals("void Chain.hot()")) {
                all += s.count();
                withLine += line.line() >= 9 && line.line() <= 13 ? s.count() : 0;
              }
            }
          }
        }
      }
      assertThat((double) withLine / Math.max(1, all)).isGreaterThanOrEqualTo(0.9);
    } finally {
      workload.destroy();
    }
  }
}
