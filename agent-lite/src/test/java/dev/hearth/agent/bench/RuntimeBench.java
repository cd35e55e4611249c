package dev.hearth.agent.bench;

import dev.hearth.agent.AgentConfig;
import dev.hearth.agent.Profiler;
import dev.hearth.model.Location;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The agent's cost per runtime at a given rate (default 19 Hz): one busy workload each — C without
 * frame pointers (the baseline), plain CPython 3.11 / 3.12 / 3.13 (frames read in BPF at the
 * sample), plain HotSpot 25 / 17 (VMStructs, frame sizes, debug info) — profiled with {@code
 * --pid}; prints the agent's CPU (user space + BPF, % of one CPU), the BPF part, records per
 * second, CPU per sample, the agent JVM's peak RSS and the share of samples carrying the whole
 * chain. {@code RuntimeBench [SECONDS] [HZ]}, as root, from agent-lite/ (run by {@code
 * scripts/bench-agent.sh runtimes}).
 */
public final class RuntimeBench {
  private RuntimeBench() {}

  record Runtime(
      String name, List<String> command, long warmupMs, List<String> chain, String type) {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    int hz = args.length > 1 ? Integer.parseInt(args[1]) : 19;
    Path dir = Files.createTempDirectory("hearth-runtime-bench");
    Path chain = dir.resolve("chain");
    new ProcessBuilder(
            "gcc", "-O2", "-fomit-frame-pointer", "-o", chain.toString(), "src/test/c/chain.c")
        .inheritIO()
        .start()
        .waitFor();
    String py = Path.of("src/test/workload/recurse.py").toAbsolutePath().toString();
    String java = Path.of("src/test/workload/Chain.java").toAbsolutePath().toString();
    List<String> pyChain = new ArrayList<>(List.of("<module>", "main"));
    pyChain.addAll(Collections.nCopies(21, "recurse"));
    pyChain.add("leaf_work");
    List<String> javaChain =
        List.of(
            "void Chain.main(java.lang.String[])",
            "void Chain.a()",
            "void Chain.b()",
            "void Chain.hot()");
    String total = Double.toString(seconds + 30);
    List<Runtime> runtimes = new ArrayList<>();
    runtimes.add(
        new Runtime(
            "C -O2 no FP",
            List.of(chain.toString(), total),
            300,
            List.of("main", "a", "b", "hot"),
            "native"));
    for (String p :
        List.of(
            "/usr/bin/python3.11",
            "/root/.pyenv/versions/3.12.1/bin/python3.12",
            "/root/.pyenv/versions/3.13.0/bin/python3.13")) {
      if (Files.isExecutable(Path.of(p))) {
        runtimes.add(
            new Runtime(
                "CPython " + p.substring(p.lastIndexOf("python") + 6),
                List.of(p, py, total),
                300,
                pyChain,
                "python"));
      }
    }
    for (String home :
        List.of("/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/java-17-openjdk-amd64")) {
      if (Files.isExecutable(Path.of(home, "bin/java"))) {
        runtimes.add(
            new Runtime(
                "HotSpot " + (home.contains("25") ? "25" : "17"),
                List.of(home + "/bin/java", java, total),
                4000,
                javaChain,
                "jvm"));
      }
    }
    System.out.printf(
        "%-16s %12s %10s %10s %13s %13s %9s %9s%n",
        "runtime (" + hz + " Hz)",
        "agent CPU %",
        "BPF CPU %",
        "records/s",
        "µs CPU/record",
        "BPF µs/record",
        "peak MB",
        "complete");
    for (Runtime r : runtimes) {
      measure(r, seconds, hz);
    }
    System.out.println(
        "(agent CPU = the agent's user-space CPU + its BPF program run time, % of one CPU, mean of"
            + " 1 s steps after a 3 s warm-up; µs CPU/record includes the agent's fixed cost"
            + " (flush, GC), which dominates at 19 Hz; complete = share of samples carrying the whole chain"
            + " named; peak MB = this JVM's VmHWM so far)");
    Files.deleteIfExists(chain);
    Files.deleteIfExists(dir);
  }

  private static void measure(Runtime r, double seconds, int hz) throws Exception {
    Process p = new ProcessBuilder(r.command()).redirectErrorStream(true).start();
    try {
      Thread.sleep(r.warmupMs());
      AgentConfig config =
          AgentConfig.parse(
                  "--pid",
                  Long.toString(p.pid()),
                  "--frequency",
                  Integer.toString(hz),
                  "--cpu-budget",
                  "10000",
                  "--output",
                  "/dev/null")
              .withDuration(null);
      List<Profile> profiles = Collections.synchronizedList(new ArrayList<>());
      double cpu = 0;
      double bpf = 0;
      double events = 0;
      int n = 0;
      try (Profiler profiler = new Profiler(config, b -> profiles.addAll(b.profiles()))) {
        profiler.start();
        Thread.sleep(3000); // warm-up: registration, first symbol loads, JIT of the agent
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
          Thread.sleep(1000);
          Profiler.Control c = profiler.lastControl();
          if (c != null) {
            cpu += c.cpuPercent();
            bpf += c.bpfPercent();
            events += c.eventsPerSecond();
            n++;
          }
        }
      }
      n = Math.max(1, n);
      double perRecord = events / n > 0 ? (cpu / n) / 100 * 1e6 / (events / n) : 0;
      double bpfPerRecord = events / n > 0 ? (bpf / n) / 100 * 1e6 / (events / n) : 0;
      System.out.printf(
          "%-16s %12.3f %10.4f %10.1f %13.1f %13.1f %9.1f %8.1f%%%n",
          r.name(),
          cpu / n,
          bpf / n,
          events / n,
          perRecord,
          bpfPerRecord,
          peakRssMb(),
          complete(profiles, r.chain(), r.type()) * 100);
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  /** Share of samples whose frames of {@code type}, root first, contain {@code chain}. */
  private static double complete(List<Profile> profiles, List<String> chain, String type) {
    long all = 0;
    long full = 0;
    for (Profile p : profiles) {
      for (Sample s : p.samples()) {
        all += s.count();
        List<String> names = new ArrayList<>();
        for (Location l : s.stack().locations().reversed()) {
          if (l.frameType().equals(type)) {
            for (var line : l.lines().reversed()) {
              names.add(line.function().name());
            }
          }
        }
        if (Collections.indexOfSubList(names, chain) >= 0) {
          full += s.count();
        }
      }
    }
    return all == 0 ? 0 : (double) full / all;
  }

  private static double peakRssMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return 0;
  }
}
