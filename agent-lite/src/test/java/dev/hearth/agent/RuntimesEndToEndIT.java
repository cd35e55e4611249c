package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.agent.export.OtlpExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test, end to end: plain CPython 3.11 (Debian), 3.12 and 3.13 (pyenv)
 * running recurse.py and plain HotSpot 25 and 17 running Chain.java — no flags, no restarts — are
 * profiled and exported to the real server; its merged profile of each, read back through the query
 * API, carries the whole chain ({@code <module> → main → recurse ×21 → leaf_work}, {@code main → a
 * → b → hot}) in at least 95% of the value, and its flamegraph names the frames' types.
 */
class RuntimesEndToEndIT {
  private static final String CPU = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";

  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void pythonAndJvmStacksReachTheServerNamedAndComplete(@TempDir Path dir) throws Exception {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    Map<String, Process> workloads = new LinkedHashMap<>();
    addPython(workloads, expected, "py311", Path.of("/usr/bin/python3.11"));
    addPython(workloads, expected, "py312", Path.of("/root/.pyenv/versions/3.12.1/bin/python3.12"));
    addPython(workloads, expected, "py313", Path.of("/root/.pyenv/versions/3.13.0/bin/python3.13"));
    assertThat(workloads).containsKey("py311");
    long fromSeconds = System.currentTimeMillis() / 1000 - 60;
    try (HearthServer server = HearthServer.start(dir)) {
      OtlpExporter exporter = new OtlpExporter(server.otlp(), "", false, null, 10);
      try {
        for (var w : workloads.entrySet()) {
          profile(w.getKey(), w.getValue(), exporter, server, 300);
        }
        for (String home :
            List.of("/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/java-17-openjdk-amd64")) {
          Path javaHome = Path.of(home);
          if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
            continue;
          }
          String service = "jdk" + (home.contains("25") ? 25 : 17);
          Process p = Workloads.startJavaPlain(javaHome, 10);
          workloads.put(service, p);
          expected.put(service, Workloads.JAVA_CHAIN);
          profile(service, p, exporter, server, 3000);
        }
      } finally {
        workloads.values().forEach(Process::destroy);
        exporter.close(Duration.ofSeconds(20));
      }
      assertThat(exporter.failures()).isZero();
      assertThat(expected).containsKey("jdk25");

      for (var e : expected.entrySet()) {
        String selector = "{service_name=\"" + e.getKey() + "\"}";
        String folded =
            server.get("/api/v1/folded?" + HearthServer.query(CPU, selector, fromSeconds));
        double share = FoldedShare.of(folded, e.getValue()).fraction();
        System.out.printf(
            "server's merged profile of %s: %.1f%% of the value carries the whole chain%n",
            e.getKey(), share * 100);
        assertThat(share).as(e.getKey() + ":\n" + top(folded)).isGreaterThanOrEqualTo(0.95);
        String flamegraph =
            server.get("/api/v1/flamegraph?" + HearthServer.query(CPU, selector, fromSeconds));
        String type = e.getKey().startsWith("py") ? "python" : "jvm";
        String leaf = e.getValue().getLast();
        assertThat(frameType(flamegraph, leaf)).as(e.getKey()).isEqualTo(type);
      }
    }
  }

  private static void addPython(
      Map<String, Process> workloads, Map<String, List<String>> expected, String service, Path py)
      throws Exception {
    if (Files.isExecutable(py)) {
      workloads.put(service, Workloads.startPython(py, 60));
      expected.put(service, Workloads.PYTHON_CHAIN);
    }
  }

  private static void profile(
      String service, Process workload, OtlpExporter exporter, HearthServer server, long warmupMs)
      throws Exception {
    Thread.sleep(warmupMs);
    server.profileCpu(workload.pid(), exporter, Duration.ofMillis(3000), "--service-name", service);
    workload.destroy();
  }

  /** The frame type the flamegraph gives {@code name} (names and frameTypes are parallel). */
  static String frameType(String flamegraphJson, String name) {
    List<String> names = stringArray(flamegraphJson, "names");
    List<String> types = stringArray(flamegraphJson, "frameTypes");
    int i = names.indexOf(name);
    assertThat(i).as(name + " in " + names).isNotNegative();
    assertThat(types).hasSameSizeAs(names);
    return types.get(i);
  }

  private static List<String> stringArray(String json, String field) {
    int at = json.indexOf("\"" + field + "\":[");
    assertThat(at).as(field + " in " + json).isNotNegative();
    List<String> out = new ArrayList<>();
    int i = at + field.length() + 4;
    while (json.charAt(i) != ']') {
      if (json.charAt(i) == '"') {
        StringBuilder sb = new StringBuilder();
        for (i++; json.charAt(i) != '"'; i++) {
          if (json.charAt(i) == '\\') {
            i++;
          }
          sb.append(json.charAt(i));
        }
        out.add(sb.toString());
      }
      i++;
    }
    return out;
  }

  private static String top(String folded) {
    List<String> lines = new ArrayList<>(List.of(folded.split("\n")));
    lines.sort(
        (a, b) ->
            Long.compare(
                Long.parseLong(b.substring(b.lastIndexOf(' ') + 1).strip()),
                Long.parseLong(a.substring(a.lastIndexOf(' ') + 1).strip())));
    return String.join("\n", lines.subList(0, Math.min(5, lines.size())));
  }
}
