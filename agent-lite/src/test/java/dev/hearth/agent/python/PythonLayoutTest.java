package dev.hearth.agent.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each CPython version's offsets in {@link PythonLayout}, checked against that version's own
 * headers: {@code src/test/c/pyoffsets.c} compiled with them prints every {@code offsetof} the
 * agent relies on. Debian's 3.11 headers come with {@code python3.11-dev}; the others with pyenv.
 */
class PythonLayoutTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "3.11=/usr/include/python3.11",
        "3.9=/root/.pyenv/versions/3.9.18/include/python3.9",
        "3.10=/root/.pyenv/versions/3.10.13/include/python3.10",
        "3.12=/root/.pyenv/versions/3.12.1/include/python3.12",
        "3.13=/root/.pyenv/versions/3.13.0/include/python3.13"
      })
  void offsetsMatchTheVersionsHeaders(
      String versionAndHeaders, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String version = versionAndHeaders.substring(0, versionAndHeaders.indexOf('='));
    Path include = Path.of(versionAndHeaders.substring(versionAndHeaders.indexOf('=') + 1));
    Assumptions.assumeTrue(
        Files.isRegularFile(include.resolve("internal/pycore_runtime.h")),
        include + " has no internal headers (python" + version + "-dev / pyenv not installed)");
    Path binary = dir.resolve("pyoffsets");
    run(
        List.of(
            "gcc",
            "-I" + include,
            "-o",
            binary.toString(),
            Path.of("src/test/c/pyoffsets.c").toAbsolutePath().toString()));
    Map<String, Integer> fromC = new LinkedHashMap<>();
    for (String line : run(List.of(binary.toString())).split("\n")) {
      int eq = line.indexOf('=');
      fromC.put(line.substring(0, eq), Integer.parseInt(line.substring(eq + 1).strip()));
    }
    PythonLayout layout = PythonLayout.of(version);
    assertThat(layout).isNotNull();
    assertThat(layout.asMap()).isEqualTo(fromC);
  }

  static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
