package dev.hearth.agent.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.agent.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading BPF programs: a refused program reports the verifier's log and exit code 5. */
class BpfObjectIT {
  @Test
  void refusedProgramCarriesTheVerifierLog(@TempDir Path dir) throws Exception {
    dev.hearth.agent.TestRoot.require();
    Path object = dir.resolve("refused.bpf.o");
    Process clang =
        new ProcessBuilder(
                "clang",
                "-g",
                "-O2",
                "-target",
                "bpf",
                "-D__TARGET_ARCH_x86",
                "-I",
                Path.of("../bpf/src/main/bpf").toAbsolutePath().toString(),
                "-c",
                Path.of("src/test/bpf/refused.bpf.c").toAbsolutePath().toString(),
                "-o",
                object.toString())
            .inheritIO()
            .start();
    assertThat(clang.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(clang.exitValue()).isZero();

    try (BpfObject bpf = BpfObject.open(Files.readAllBytes(object), "refused.bpf.o")) {
      assertThatThrownBy(() -> bpf.load(List.of("on_cpu_sample")))
          .isInstanceOf(BpfException.class)
          .hasMessageContaining("loading refused.bpf.o failed")
          .hasMessageContaining("verifier log")
          .satisfies(
              e ->
                  assertThat(((AgentException) e).exitCode())
                      .isEqualTo(AgentException.PROGRAM_REFUSED));
    }
  }

  @Test
  void theProfilerProgramLoads() throws Exception {
    dev.hearth.agent.TestRoot.require();
    byte[] elf;
    try (var in = BpfObjectIT.class.getResourceAsStream("/bpf/profile.bpf.o")) {
      assertThat(in).isNotNull();
      elf = in.readAllBytes();
    }
    try (BpfObject bpf = BpfObject.open(elf, "profile.bpf.o")) {
      assertThat(bpf.rodata().byteSize()).isEqualTo(24); // struct profile_config
      bpf.load(List.of("on_cpu_sample"));
      assertThat(bpf.programFd("on_cpu_sample")).isPositive();
      assertThat(bpf.bss().byteSize()).isEqualTo(16); // struct profile_counters
    }
  }
}
