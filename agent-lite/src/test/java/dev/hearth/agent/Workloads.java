package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.hearth.agent.profile.Batch;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The test workloads (C and Java chains main → a → b → hot) and what tests check on them. */
final class Workloads {
  static final List<String> C_CHAIN = List.of("main", "a", "b", "hot");
  static final List<String> JAVA_CHAIN =
      List.of(
          "void Chain.main(java.lang.String[])",
          "void Chain.a()",
          "void Chain.b()",
          "void Chain.hot()");

  /** recurse.py's stack, root first: the module, main, recurse 21 times, leaf_work. */
  static final List<String> PYTHON_CHAIN = pythonChain();

  private Workloads() {}

  private static List<String> pythonChain() {
    List<String> chain = new ArrayList<>(List.of("<module>", "main"));
    chain.addAll(Collections.nCopies(21, "recurse"));
    chain.add("leaf_work");
    return List.copyOf(chain);
  }

  /** Runs {@code src/test/workload/Chain.java} with the JDK at {@code javaHome}, no JVM flags. */
  static Process startJavaPlain(Path javaHome, double seconds) throws IOException {
    return new ProcessBuilder(
            javaHome.resolve("bin/java").toString(),
            Path.of("src/test/workload/Chain.java").toAbsolutePath().toString(),
            Double.toString(seconds))
        .inheritIO()
        .start();
  }

  /** Runs {@code src/test/workload/recurse.py} with {@code python}, plain (no flags). */
  static Process startPython(Path python, double seconds) throws IOException {
    return new ProcessBuilder(
            python.toString(),
            Path.of("src/test/workload/recurse.py").toAbsolutePath().toString(),
            Double.toString(seconds))
        .inheritIO()
        .start();
  }

  /**
   * BPF tests need root, which CI has. Anywhere else they fail with this message unless
   * HEARTH_SKIP_BPF_TESTS=1 says to skip them.
   */
  static void requireRoot() {
    if (Profiler.isRoot()) {
      return;
    }
    if ("1".equals(System.getenv("HEARTH_SKIP_BPF_TESTS"))) {
      Assumptions.abort("not root and HEARTH_SKIP_BPF_TESTS=1: BPF test skipped");
    }
    fail(
        "agent-lite's BPF tests need root (CI runs as root). Run ./scripts/test.sh as root, or set"
            + " HEARTH_SKIP_BPF_TESTS=1 to skip them, or build with -Dhearth.skipBpf.");
  }

  /** Compiles chain.c like a Debian binary: -O2, no frame pointers. */
  static Path compileC(Path dir) throws IOException, InterruptedException {
    Path binary = dir.resolve("chain");
    run(
        "gcc",
        "-O2",
        "-fomit-frame-pointer",
        "-o",
        binary.toString(),
        Path.of("src/test/c/chain.c").toAbsolutePath().toString());
    return binary;
  }

  /** Compiles {@code src/test/c/NAME.c} like {@link #compileC}. */
  static Path compileC(Path dir, String name, String... extra)
      throws IOException, InterruptedException {
    Path binary = dir.resolve(name);
    List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-fomit-frame-pointer", "-pthread"));
    cmd.addAll(List.of(extra));
    cmd.addAll(
        List.of(
            "-o",
            binary.toString(),
            Path.of("src/test/c/" + name + ".c").toAbsolutePath().toString()));
    run(cmd.toArray(String[]::new));
    return binary;
  }

  /** Total value of samples whose stack holds {@code function}, over profiles of {@code type}. */
  static long valueWith(
      List<Profile> profiles, dev.hearth.model.ProfileType type, String function) {
    long v = 0;
    for (Profile p : profiles) {
      if (!p.type().equals(type)) {
        continue;
      }
      for (Sample s : p.samples()) {
        if (s.stack().functionNamesRootFirst().contains(function)) {
          v += s.value();
        }
      }
    }
    return v;
  }

  /** The most valuable stacks of one type, for failure messages. */
  static String top(List<Profile> profiles, dev.hearth.model.ProfileType type) {
    return top(profiles.stream().filter(p -> p.type().equals(type)).toList());
  }

  static Process startC(Path binary, double seconds) throws IOException {
    return new ProcessBuilder(binary.toString(), Double.toString(seconds)).inheritIO().start();
  }

  static Process startJava(double seconds) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-XX:+PreserveFramePointer",
            "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=dontinline,Chain::*",
            "-Xshare:auto",
            Path.of("src/test/workload/Chain.java").toAbsolutePath().toString(),
            Double.toString(seconds))
        .inheritIO()
        .start();
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
  }

  static AgentConfig config(long pid, int hz) {
    return AgentConfig.parse(
            "--pid",
            Long.toString(pid),
            "--frequency",
            Integer.toString(hz),
            "--output",
            "/dev/null")
        .withDuration(null);
  }

  /** Profiles with {@code config} for {@code duration}; returns every profile the sink got. */
  static List<Profile> profile(AgentConfig config, Duration duration) throws InterruptedException {
    List<Profile> profiles = Collections.synchronizedList(new ArrayList<>());
    try (Profiler profiler = new Profiler(config, (Batch b) -> profiles.addAll(b.profiles()))) {
      profiler.start();
      Thread.sleep(duration);
    }
    return profiles;
  }

  /**
   * Share of samples (by value: OTLP keeps values, not counts) whose stack holds {@code chain} in
   * order, adjacent, root first.
   */
  static double shareWithChain(List<Profile> profiles, List<String> chain) {
    long all = 0;
    long full = 0;
    for (Profile p : profiles) {
      for (Sample s : p.samples()) {
        all += s.value();
        if (Collections.indexOfSubList(s.stack().functionNamesRootFirst(), chain) >= 0) {
          full += s.value();
        }
      }
    }
    return all == 0 ? 0 : (double) full / all;
  }

  /** Samples in the profiles: total value over the period. */
  static long count(List<Profile> profiles) {
    long n = 0;
    for (Profile p : profiles) {
      n += p.period() == 0 ? p.totalCount() : p.totalValue() / p.period();
    }
    return n;
  }

  /** The most frequent stacks, for failure messages. */
  static String top(List<Profile> profiles) {
    List<Sample> all = new ArrayList<>();
    profiles.forEach(p -> all.addAll(p.samples()));
    all.sort((x, y) -> Long.compare(y.count(), x.count()));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(8, all.size()); i++) {
      sb.append(all.get(i).count()).append(' ').append(all.get(i).stack()).append('\n');
    }
    return sb.toString();
  }
}
