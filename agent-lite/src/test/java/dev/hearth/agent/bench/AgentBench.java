package dev.hearth.agent.bench;

import dev.hearth.agent.AgentConfig;
import dev.hearth.agent.Profiler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost each profile type adds to a workload built to stress it, and the adaptive controller
 * holding its budget while load rises: {@code AgentBench [SECONDS]}, as root, from agent-lite/ (run
 * by {@code scripts/bench-agent.sh}). Prints two tables.
 */
public final class AgentBench {
  private AgentBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4;
    boolean onlyAdaptive = args.length > 1 && args[1].equals("adaptive");
    Path dir = Files.createTempDirectory("hearth-bench");
    Path stress = dir.resolve("stress");
    run(
        "gcc",
        "-O2",
        "-fomit-frame-pointer",
        "-pthread",
        "-o",
        stress.toString(),
        Path.of("src/test/c/stress.c").toAbsolutePath().toString());

    if (!onlyAdaptive) {
      overheads(stress, dir, seconds);
    }
    adaptive(stress, dir, seconds);
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  private static void overheads(Path stress, Path dir, double seconds) throws Exception {
    System.out.printf(
        "%-9s %-34s %14s %14s %9s %11s %10s %11s%n",
        "type",
        "workload",
        "alone ops/s",
        "profiled ops/s",
        "overhead",
        "agent CPU %",
        "BPF CPU %",
        "events/s");
    overhead("cpu 99Hz", "cpu", "arithmetic loop", seconds, stress, dir, "--frequency", "99");
    overhead(
        "off-CPU",
        "switch",
        "pipe ping-pong, 2 threads",
        seconds,
        stress,
        dir,
        "--no-cpu",
        "--off-cpu",
        "--off-cpu-min",
        "0ms");
    overhead(
        "off-CPU 1m",
        "switch",
        "same, default --off-cpu-min 1ms",
        seconds,
        stress,
        dir,
        "--no-cpu",
        "--off-cpu");
    overhead(
        "alloc",
        "malloc",
        "malloc+free 16..4096 B loop",
        seconds,
        stress,
        dir,
        "--no-cpu",
        "--alloc",
        "--pid",
        "PID");
    overhead(
        "alloc 4K",
        "malloc",
        "same, --alloc-interval 4096",
        seconds,
        stress,
        dir,
        "--no-cpu",
        "--alloc",
        "--pid",
        "PID",
        "--alloc-interval",
        "4096");
    overhead(
        "block IO",
        "fsync",
        "4 KiB pwrite+fdatasync loop",
        seconds,
        stress,
        dir,
        "--no-cpu",
        "--block-io");
    System.out.println(
        "(overhead = 1 - profiled/alone throughput; agent CPU % = agent process + BPF run time, % of"
            + " one CPU; system-wide except alloc, which probes the workload's --pid)");
  }

  private static void overhead(
      String type, String mode, String what, double seconds, Path stress, Path dir, String... flags)
      throws Exception {
    double alone = opsPerSecond(start(stress, mode, seconds, dir));
    Process p = start(stress, mode, seconds + 1.5, dir);
    List<String> args = new ArrayList<>(List.of("--output", "/dev/null", "--cpu-budget", "10000"));
    for (String f : flags) {
      args.add(f.equals("PID") ? Long.toString(p.pid()) : f);
    }
    AgentConfig config = AgentConfig.parse(args.toArray(String[]::new)).withDuration(null);
    double cpu = 0;
    double bpf = 0;
    double events = 0;
    int n = 0;
    try (Profiler profiler = new Profiler(config, b -> {})) {
      profiler.start();
      while (p.isAlive()) {
        Thread.sleep(1000);
        Profiler.Control c = profiler.lastControl();
        if (c != null && p.isAlive()) {
          cpu += c.cpuPercent();
          bpf += c.bpfPercent();
          events += c.eventsPerSecond();
          n++;
        }
      }
    }
    double profiled = opsPerSecond(p);
    n = Math.max(n, 1);
    System.out.printf(
        "%-9s %-34s %14.0f %14.0f %8.1f%% %11.2f %10.2f %11.0f%n",
        type, what, alone, profiled, (1 - profiled / alone) * 100, cpu / n, bpf / n, events / n);
  }

  private static void adaptive(Path stress, Path dir, double seconds) throws Exception {
    // Warm-up, not measured: the agent's unwinding and naming paths get JIT-compiled.
    Process warm = start(stress, "switch", 10, dir);
    try (Profiler profiler =
        new Profiler(
            AgentConfig.parse("--output", "/dev/null", "--frequency", "199", "--off-cpu")
                .withDuration(null),
            b -> {})) {
      profiler.start();
      warm.waitFor();
    }
    System.out.println();
    System.out.println(
        "adaptive: CPU at 999 Hz + off-CPU, system-wide; budgets: agent CPU 3 percent of one CPU,"
            + " 1500 events/s");
    System.out.printf(
        "%-4s %-26s %11s %10s %9s %6s %12s %10s %s%n",
        "s",
        "load",
        "agent CPU %",
        "BPF CPU %",
        "events/s",
        "Hz",
        "alloc bytes",
        "off-CPU 1/N",
        "");
    AgentConfig config =
        AgentConfig.parse(
                "--output",
                "/dev/null",
                "--frequency",
                "999",
                "--off-cpu",
                "--off-cpu-min",
                "0ms",
                "--cpu-budget",
                "3",
                "--event-budget",
                "1500")
            .withDuration(null);
    String[][] phases = {
      {"1 CPU loop"}, {"2 CPU loops"}, {"2 CPU loops + ping-pong"},
    };
    int step = (int) Math.max(3, Math.round(seconds * 1.5));
    List<Process> load = new ArrayList<>();
    try (Profiler profiler = new Profiler(config, b -> {})) {
      profiler.start();
      int t = 0;
      for (int phase = 0; phase < phases.length; phase++) {
        double rest = (phases.length - phase + 2) * step + 2;
        if (phase == 0) {
          load.add(start(stress, "cpu", rest, dir));
        } else if (phase == 1) {
          load.add(start(stress, "cpu", rest, dir));
        } else {
          load.add(start(stress, "switch", rest, dir));
        }
        int steps = phase == phases.length - 1 ? 3 * step : step;
        for (int i = 0; i < steps; i++) {
          Thread.sleep(1000);
          t++;
          Profiler.Control c = profiler.lastControl();
          if (System.getenv("HEARTH_BENCH_DEBUG") != null) {
            System.out.printf(
                "  records: cpu %d, off-CPU %d%n",
                profiler.records(dev.hearth.agent.bpf.CpuSample.KIND_CPU),
                profiler.records(dev.hearth.agent.bpf.CpuSample.KIND_OFF_CPU));
          }
          if (c != null) {
            System.out.printf(
                "%-4d %-26s %11.2f %10.2f %9.0f %6d %12d %10d %s%n",
                t,
                phases[phase][0],
                c.cpuPercent(),
                c.bpfPercent(),
                c.eventsPerSecond(),
                c.settings().frequencyHz(),
                c.settings().allocIntervalBytes(),
                c.settings().offCpuOneIn(),
                c.settings().offCpuPaused() ? "off-CPU paused" : "");
          }
        }
      }
    } finally {
      for (Process p : load) {
        p.destroy();
        p.waitFor();
      }
    }
  }

  private static Process start(Path stress, String mode, double seconds, Path dir)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    if (mode.equals("switch")) {
      // Both threads on one CPU: ping-pong throughput across CPUs varies too much run to run.
      cmd.addAll(List.of("taskset", "-c", "1"));
    }
    cmd.addAll(List.of(stress.toString(), mode, Double.toString(seconds), dir.toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static double opsPerSecond(Process p) throws Exception {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line = r.readLine();
      p.waitFor();
      if (line == null || !line.startsWith("ops/s ")) {
        throw new IllegalStateException("workload said: " + line);
      }
      return Double.parseDouble(line.substring(6));
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }
}
