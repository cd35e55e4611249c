package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block-IO acceptance test: a C program writes 8 MiB to a file on a block-device
 * filesystem and fsyncs it in main → a → write_and_sync; the IO profile shows that stack with the
 * bytes written (±20%) and a latency.
 */
class BlockIoIT {
  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void writeAndSyncShowsItsStack(@TempDir Path dir) throws Exception {
    String store = Files.getFileStore(dir).type();
    System.out.printf("block IO: %s is on %s (%s)%n", dir, Files.getFileStore(dir).name(), store);
    Path binary = Workloads.compileC(dir, "iowrite");
    Process workload =
        new ProcessBuilder(binary.toString(), dir.resolve("data").toString(), "8").start();
    AgentConfig config =
        Workloads.config(workload.pid(), 19)
            .withEvents(
                new AgentConfig.Events(
                    false, false, 1_000_000, false, 524288, "", true, List.of(), 0, 0));
    try (Profiler profiler = new Profiler(config, b -> {});
        OutputStream in = workload.getOutputStream()) {
      profiler.start();
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(workload.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("done");
      // The workload stays until its stdin closes: a process that exits before the agent has
      // read its maps leaves its user stack [unknown], which a loaded machine made happen here.
      Thread.sleep(500);
      List<Profile> profiles = profiler.drainNow().profiles();
      long bytes = Workloads.valueWith(profiles, ProfileType.BLOCK_IO_BYTES, "write_and_sync");
      double chain =
          Workloads.shareWithChain(
              profiles.stream().filter(p -> p.type().equals(ProfileType.BLOCK_IO_BYTES)).toList(),
              List.of("main", "a", "write_and_sync"));
      long latency = Workloads.valueWith(profiles, ProfileType.BLOCK_IO_LATENCY, "write_and_sync");
      long ios =
          profiles.stream()
              .filter(p -> p.type().equals(ProfileType.BLOCK_IO_LATENCY))
              .mapToLong(Profile::totalCount)
              .sum();
      System.out.printf(
          "block IO: %.2f MiB along write_and_sync (real 8.00 MiB), %.0f%% of bytes under"
              + " main→a→write_and_sync, %d IOs, latency sum %.1f ms%n",
          bytes / 1048576.0, chain * 100, ios, latency / 1e6);
      String top = Workloads.top(profiles, ProfileType.BLOCK_IO_BYTES);
      assertThat(bytes / 1048576.0).as(top).isBetween(6.4, 9.6);
      assertThat(chain).as(top).isGreaterThan(0.8);
      assertThat(latency).isPositive();
    } finally {
      workload.destroy();
    }
  }
}
