package dev.hearth.agent.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every struct the BPF programs share with the agent, compared member by member with the C
 * compiler's view of the headers: a C program generated from {@link BpfLayouts} prints {@code
 * offsetof} of each member and {@code sizeof} of each struct; any difference fails the build.
 */
class RecordLayoutTest {
  static final Path HEADERS = Path.of("../bpf/src/main/bpf").toAbsolutePath();

  @Test
  void javaLayoutsMatchTheCHeaders(@TempDir Path dir) throws Exception {
    Map<String, Long> java = new LinkedHashMap<>();
    StringBuilder c = new StringBuilder();
    c.append("#include <linux/types.h>\n#include <stddef.h>\n#include <stdio.h>\n");
    for (String h : List.of("profile.h", "offcpu.h", "alloc.h", "blockio.h", "python.h")) {
      c.append("#include \"").append(h).append("\"\n");
    }
    c.append("int main(void) {\n");
    for (var e : BpfLayouts.ALL.entrySet()) {
      String struct = e.getKey();
      StructLayout layout = e.getValue();
      java.put("sizeof." + struct, layout.byteSize());
      c.append(
          String.format("  printf(\"sizeof.%s=%%zu\\n\", sizeof(struct %s));%n", struct, struct));
      for (MemoryLayout m : layout.memberLayouts()) {
        if (m.name().isEmpty()) {
          continue; // padding
        }
        String field = m.name().get();
        java.put(struct + "." + field, BpfLayouts.offset(layout, field) * 1L);
        c.append(
            String.format(
                "  printf(\"%s.%s=%%zu\\n\", offsetof(struct %s, %s));%n",
                struct, field, struct, field));
      }
    }
    c.append("  return 0;\n}\n");
    Path source = dir.resolve("layouts.c");
    Files.writeString(source, c.toString());
    Path binary = dir.resolve("layouts");
    run(List.of("gcc", "-I" + HEADERS, "-o", binary.toString(), source.toString()));
    Map<String, Long> fromC = new LinkedHashMap<>();
    for (String line : run(List.of(binary.toString())).split("\n")) {
      int eq = line.indexOf('=');
      fromC.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).strip()));
    }
    assertThat(java).isEqualTo(fromC);
    assertThat((long) CpuSample.SIZE).isEqualTo(fromC.get("sizeof.cpu_sample"));
  }

  static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
