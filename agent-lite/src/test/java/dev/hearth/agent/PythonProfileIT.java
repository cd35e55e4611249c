package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain CPython, no flags: at least 95% of the samples carry {@code <module> → main → recurse ×21 →
 * leaf_work}, named from the interpreter's own frame chain read at sample time, with file and line,
 * and the native frames below {@code <module>} kept.
 */
class PythonProfileIT {
  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void debianPython311() throws Exception {
    check(Path.of("/usr/bin/python3.11"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.9.18", "3.10.13", "3.12.1", "3.13.0"})
  void pyenvPython(String version) throws Exception {
    Path python =
        Path.of(
            "/root/.pyenv/versions/"
                + version
                + "/bin/python"
                + version.substring(0, version.lastIndexOf('.')));
    Assumptions.assumeTrue(Files.isExecutable(python), python + " is not installed");
    check(python);
  }

  private static void check(Path python) throws Exception {
    Process workload = Workloads.startPython(python, 6);
    try {
      Thread.sleep(300);
      List<Profile> profiles =
          Workloads.profile(Workloads.config(workload.pid(), 99), Duration.ofSeconds(3));
      // 3.9 and 3.10 run each Python call in its own C call: native frames sit between them.
      // Complete: the Python frames are <module> → main → … in the script's order, down to where
      // the sample caught it (on the way down to leaf_work a stack is rightly shorter).
      double share = pythonShare(profiles, false);
      double full = pythonShare(profiles, true);
      System.out.printf(
          "%s: %.1f%% of %d samples complete from <module>→main, %.1f%% down to leaf_work%n",
          python, share * 100, Workloads.count(profiles), full * 100);
      assertThat(Workloads.count(profiles)).isGreaterThan(50);
      assertThat(share).as(Workloads.top(profiles)).isGreaterThanOrEqualTo(0.95);
      assertThat(full).as("all the way to leaf_work").isGreaterThanOrEqualTo(0.8);
      Location leaf = leafPython(profiles);
      Line line = leaf.lines().getFirst();
      assertThat(leaf.frameType()).isEqualTo("python");
      assertThat(line.function().filename()).endsWith("recurse.py");
      assertThat(line.function().startLine()).isEqualTo(6);
      assertThat(line.line()).isBetween(7L, 10L);
    } finally {
      workload.destroy();
    }
  }

  /**
   * Share of samples (by value) whose Python frames, root first, are the whole chain ({@code
   * whole}) or a prefix of it from {@code <module> → main}.
   */
  static double pythonShare(List<Profile> profiles, boolean whole) {
    long all = 0;
    long full = 0;
    for (Profile p : profiles) {
      for (Sample s : p.samples()) {
        all += s.value();
        List<String> python = new java.util.ArrayList<>();
        for (Location l : s.stack().locations().reversed()) {
          if (l.frameType().equals("python")) {
            python.add(l.lines().getFirst().function().name());
          }
        }
        List<String> chain = Workloads.PYTHON_CHAIN;
        boolean ok =
            whole
                ? python.equals(chain)
                : python.size() >= 2
                    && python.size() <= chain.size()
                    && chain.subList(0, python.size()).equals(python);
        if (ok) {
          full += s.value();
        }
      }
    }
    return all == 0 ? 0 : (double) full / all;
  }

  /** The leaf-most Python frame of the most frequent stack. */
  private static Location leafPython(List<Profile> profiles) {
    Sample top = null;
    for (Profile p : profiles) {
      for (Sample s : p.samples()) {
        if (top == null || s.count() > top.count()) {
          top = s;
        }
      }
    }
    assertThat(top).isNotNull();
    return top.stack().locations().stream()
        .filter(l -> l.frameType().equals("python"))
        .findFirst()
        .orElseThrow();
  }
}
