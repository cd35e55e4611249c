package dev.hearth.agent;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The agent's settings, from a properties file ({@code --config}) and the command line (which
 * wins). Every key is also a flag: {@code frequency=99} in the file is {@code --frequency 99}.
 *
 * @param pid only this process (0: every process)
 * @param cgroup only this cgroup v2 directory, e.g. {@code /sys/fs/cgroup/system.slice/x.service}
 * @param frequencyHz samples per second per CPU
 * @param interval how often profiles are aggregated and exported
 * @param server OTLP gRPC endpoint {@code host:port}, or empty
 * @param token bearer token for the server, or empty
 * @param tls use TLS to the server
 * @param caFile CA certificates (PEM) to verify the server with, or null for the JDK's
 * @param serviceName {@code service_name} for every process, or empty for the executable's name
 * @param serviceVersion {@code service.version} resource attribute, or empty
 * @param environment {@code deployment.environment.name} resource attribute, or empty
 * @param hostName {@code host_name} label
 * @param output one-shot mode: write a gzipped pprof here and exit, or null
 * @param duration how long to profile (one-shot mode; otherwise until signalled), or null
 * @param stackBytes user-stack bytes copied per sample (multiple of 512, at most 16384)
 * @param bufferBatches export batches held while the server is unreachable
 * @param events the profile types beyond CPU, and the container filter
 */
public record AgentConfig(
    int pid,
    String cgroup,
    int frequencyHz,
    Duration interval,
    String server,
    String token,
    boolean tls,
    @Nullable Path caFile,
    String serviceName,
    String serviceVersion,
    String environment,
    String hostName,
    @Nullable Path output,
    @Nullable Duration duration,
    int stackBytes,
    int bufferBatches,
    Events events) {

  /**
   * What to record besides CPU time.
   *
   * @param cpu CPU samples (on unless {@code --no-cpu})
   * @param offCpu off-CPU time through {@code tp_btf/sched_switch}
   * @param offCpuMinNanos blocks shorter than this are not counted
   * @param alloc allocator uprobes on {@code --pid} (or {@code --alloc-executable})
   * @param allocIntervalBytes one allocation sample every this many bytes
   * @param allocExecutable an executable or library to probe instead of the process's allocator
   * @param blockIo block IO bytes and latency per issuing stack
   * @param containers only processes in these containers (id or id prefix; empty: all)
   * @param cpuBudgetPercent the agent's own CPU budget, % of one CPU (0: no controller)
   * @param eventBudget the agent's events per second budget (0: no limit)
   */
  public record Events(
      boolean cpu,
      boolean offCpu,
      long offCpuMinNanos,
      boolean alloc,
      long allocIntervalBytes,
      String allocExecutable,
      boolean blockIo,
      List<String> containers,
      double cpuBudgetPercent,
      long eventBudget) {
    public static final Events DEFAULT =
        new Events(true, false, 1_000_000, false, 512 * 1024, "", false, List.of(), 0, 0);
  }

  public static final String USAGE =
      """
      usage: hearth-agent [options]
        --server HOST:PORT      export OTLP profiles over gRPC (gzip) every --interval
        --token TOKEN           bearer token for the server
        --tls                   use TLS (verifies the server's certificate)
        --ca-file FILE          CA certificates (PEM) for --tls
        --output FILE           one-shot: write a gzipped pprof file (with --duration) and exit
        --duration 30s          how long to profile (default: until SIGINT/SIGTERM; 30s with --output)
        --pid PID               profile one process only
        --cgroup DIR            profile one cgroup v2 only (e.g. /sys/fs/cgroup/system.slice/x.service)
        --frequency HZ          samples per second per CPU (default 19)
        --interval 10s          aggregation and export interval (default 10s)
        --service-name NAME     service_name label (default: the executable's name)
        --service-version V     service.version resource attribute
        --environment ENV       deployment.environment.name resource attribute
        --host-name NAME        host_name label (default: this host's name)
        --stack-bytes N         user stack copied per sample (default 16384)
        --buffer-batches N      batches kept while the server is unreachable (default 30)
        --no-cpu                no CPU samples (only the profile types below)
        --off-cpu               off-CPU time per blocking stack (tp_btf/sched_switch)
        --off-cpu-min 1ms       blocks shorter than this are not counted (default 1ms)
        --alloc                 allocations and in-use memory of --pid (uprobes on malloc & co.)
        --alloc-interval BYTES  one allocation sample every BYTES bytes (default 524288)
        --alloc-executable PATH probe this executable/library's allocator (default: the process's)
        --block-io              block IO bytes and latency per issuing stack
        --container ID[,ID]     only processes in these containers (id or prefix)
        --cpu-budget PERCENT    keep the agent's CPU (process + BPF) under this % of one CPU
        --event-budget N        keep the agent's events per second under N
        --config FILE           properties file with the same keys (server=..., frequency=...)
      Needs root. Exit codes: 2 usage, 3 not root, 4 kernel lacks BTF/perf events/BPF,
      5 BPF program refused (verifier log printed), 1 other failures.
      """;

  private static final java.util.Set<String> BOOLEAN_FLAGS =
      java.util.Set.of("tls", "help", "no-cpu", "off-cpu", "alloc", "block-io");

  /** Parses the command line (and the config file it names); problems are reported together. */
  public static AgentConfig parse(String... args) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        problems.add("unexpected argument '" + a + "'");
        continue;
      }
      String key = a.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (BOOLEAN_FLAGS.contains(key)) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        problems.add("--" + key + " needs a value");
        continue;
      }
      flags.put(key, value);
    }
    if (flags.containsKey("help")) {
      throw new AgentException(AgentException.USAGE, USAGE);
    }
    String configFile = flags.remove("config");
    if (configFile != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(Path.of(configFile))) {
        p.load(r);
        p.stringPropertyNames().forEach(k -> values.put(k.strip(), p.getProperty(k).strip()));
      } catch (IOException e) {
        problems.add("cannot read --config " + configFile + ": " + e.getMessage());
      }
    }
    values.putAll(flags);
    Parser parser = new Parser(values, problems);
    AgentConfig config =
        new AgentConfig(
            parser.integer("pid", 0),
            parser.string("cgroup", ""),
            parser.integer("frequency", 19),
            parser.duration("interval", Duration.ofSeconds(10)),
            parser.string("server", ""),
            parser.string("token", ""),
            Boolean.parseBoolean(parser.string("tls", "false")),
            parser.path("ca-file"),
            parser.string("service-name", ""),
            parser.string("service-version", ""),
            parser.string("environment", ""),
            parser.string("host-name", localHostName()),
            parser.path("output"),
            parser.durationOrNull("duration"),
            parser.integer("stack-bytes", 16384),
            parser.integer("buffer-batches", 30),
            new Events(
                !Boolean.parseBoolean(parser.string("no-cpu", "false")),
                Boolean.parseBoolean(parser.string("off-cpu", "false")),
                parser.duration("off-cpu-min", Duration.ofMillis(1)).toNanos(),
                Boolean.parseBoolean(parser.string("alloc", "false")),
                parser.integer("alloc-interval", 512 * 1024),
                parser.string("alloc-executable", ""),
                Boolean.parseBoolean(parser.string("block-io", "false")),
                parser.string("container", "").isEmpty()
                    ? List.of()
                    : List.of(parser.string("container", "").split(",")),
                parser.decimal("cpu-budget", 0),
                parser.integer("event-budget", 0)));
    for (String unknown : parser.unused()) {
      problems.add("unknown option --" + unknown);
    }
    problems.addAll(config.validate());
    if (!problems.isEmpty()) {
      throw new AgentException(
          AgentException.USAGE, String.join("\n", problems) + "\n\n" + USAGE.strip());
    }
    if (config.output != null && config.duration == null) {
      return config.withDuration(Duration.ofSeconds(30));
    }
    return config;
  }

  /** Every problem with these settings. */
  public List<String> validate() {
    List<String> problems = new ArrayList<>();
    if (frequencyHz < 1 || frequencyHz > 10_000) {
      problems.add("--frequency must be 1..10000 Hz, got " + frequencyHz);
    }
    if (stackBytes < 512 || stackBytes > 16384 || stackBytes % 512 != 0) {
      problems.add("--stack-bytes must be a multiple of 512 in 512..16384, got " + stackBytes);
    }
    if (interval.toMillis() < 100) {
      problems.add("--interval must be at least 100ms");
    }
    if (server.isEmpty() && output == null) {
      problems.add("give --server HOST:PORT or --output FILE");
    }
    if (!cgroup.isEmpty() && !Files.isDirectory(Path.of(cgroup))) {
      problems.add("--cgroup " + cgroup + " is not a cgroup v2 directory");
    }
    if (pid < 0) {
      problems.add("--pid must be positive");
    }
    if (events.alloc && pid == 0 && events.allocExecutable.isEmpty()) {
      problems.add("--alloc needs --pid (or --alloc-executable)");
    }
    if (events.cpuBudgetPercent < 0 || events.eventBudget < 0) {
      problems.add("--cpu-budget and --event-budget must not be negative");
    }
    if (events.allocIntervalBytes < 1) {
      problems.add("--alloc-interval must be at least 1 byte");
    }
    if (!events.cpu && !events.offCpu && !events.alloc && !events.blockIo) {
      problems.add("--no-cpu leaves nothing to record: add --off-cpu, --alloc or --block-io");
    }
    if (bufferBatches < 1) {
      problems.add("--buffer-batches must be at least 1");
    }
    return problems;
  }

  public AgentConfig withDuration(@Nullable Duration d) {
    return new AgentConfig(
        pid,
        cgroup,
        frequencyHz,
        interval,
        server,
        token,
        tls,
        caFile,
        serviceName,
        serviceVersion,
        environment,
        hostName,
        output,
        d,
        stackBytes,
        bufferBatches,
        events);
  }

  public AgentConfig withEvents(Events e) {
    return new AgentConfig(
        pid,
        cgroup,
        frequencyHz,
        interval,
        server,
        token,
        tls,
        caFile,
        serviceName,
        serviceVersion,
        environment,
        hostName,
        output,
        duration,
        stackBytes,
        bufferBatches,
        e);
  }

  private static String localHostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static final class Parser {
    private final Map<String, String> values;
    private final List<String> problems;
    private final List<String> used = new ArrayList<>();

    Parser(Map<String, String> values, List<String> problems) {
      this.values = values;
      this.problems = problems;
    }

    String string(String key, String fallback) {
      used.add(key);
      return values.getOrDefault(key, fallback);
    }

    int integer(String key, int fallback) {
      String v = string(key, Integer.toString(fallback));
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        problems.add("--" + key + " must be a number, got '" + v + "'");
        return fallback;
      }
    }

    double decimal(String key, double fallback) {
      String v = string(key, Double.toString(fallback));
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        problems.add("--" + key + " must be a number, got '" + v + "'");
        return fallback;
      }
    }

    @Nullable Path path(String key) {
      String v = string(key, "");
      return v.isEmpty() ? null : Path.of(v);
    }

    Duration duration(String key, Duration fallback) {
      Duration d = durationOrNull(key);
      return d == null ? fallback : d;
    }

    @Nullable Duration durationOrNull(String key) {
      String v = string(key, "");
      if (v.isEmpty()) {
        return null;
      }
      try {
        return parseDuration(v);
      } catch (RuntimeException e) {
        problems.add("--" + key + " must be a duration like 500ms, 10s, 5m; got '" + v + "'");
        return null;
      }
    }

    List<String> unused() {
      List<String> out = new ArrayList<>(values.keySet());
      out.removeAll(used);
      return out;
    }
  }

  static Duration parseDuration(String v) {
    if (Character.isDigit(v.charAt(v.length() - 1))) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException(v);
    };
  }
}
