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
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocation acceptance test: a C program mallocs 4096 × 64 KiB (256 MiB) along main →
 * a → allocate_here; sampled every 512 KiB, the allocated bytes along that stack are within ±20% of
 * 256 MiB, in-use bytes likewise while the blocks live, and in-use falls when it frees them.
 */
class AllocIT {
  private static final long TOTAL = 4096L * 65536;

  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void allocatedAndInUseBytesMatchWhatTheProgramAllocates(@TempDir Path dir) throws Exception {
    check(dir, null, "libc");
  }

  /** A process using jemalloc (preloaded) is probed in jemalloc, not in libc. */
  @Test
  void jemallocIsDetected(@TempDir Path dir) throws Exception {
    Path jemalloc = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
    Assumptions.assumeTrue(
        Files.exists(jemalloc), "libjemalloc2 is not installed (scripts/test.sh installs it)");
    check(dir, jemalloc, "jemalloc");
  }

  private static void check(Path dir, @Nullable Path preload, String allocator) throws Exception {
    Path binary = Workloads.compileC(dir, "allocs");
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), "4096", "65536");
    if (preload != null) {
      pb.environment().put("LD_PRELOAD", preload.toString());
    }
    Process workload = pb.start();
    Thread.sleep(200); // the dynamic loader has mapped the allocator
    AgentConfig config =
        Workloads.config(workload.pid(), 19)
            .withEvents(
                new AgentConfig.Events(
                    false, false, 1_000_000, true, 512 * 1024, "", false, List.of(), 0, 0));
    try (Profiler profiler = new Profiler(config, b -> {});
        OutputStream in = workload.getOutputStream()) {
      profiler.start();
      assertThat(profiler.allocatorKind()).isEqualTo(allocator);
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(workload.getInputStream(), StandardCharsets.UTF_8));
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(out.readLine()).isEqualTo("allocated");
      Thread.sleep(500);
      List<Profile> afterAlloc = profiler.drainNow().profiles();
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(out.readLine()).isEqualTo("freed");
      Thread.sleep(500);
      List<Profile> afterFree = profiler.drainNow().profiles();
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(workload.waitFor(5, TimeUnit.SECONDS)).isTrue();

      long allocated = Workloads.valueWith(afterAlloc, ProfileType.ALLOC_SPACE, "allocate_here");
      long chain =
          (long)
              (Workloads.shareWithChain(
                      afterAlloc.stream()
                          .filter(p -> p.type().equals(ProfileType.ALLOC_SPACE))
                          .toList(),
                      List.of("main", "a", "allocate_here"))
                  * allocated);
      long objects = Workloads.valueWith(afterAlloc, ProfileType.ALLOC_OBJECTS, "allocate_here");
      long inUse = Workloads.valueWith(afterAlloc, ProfileType.INUSE_SPACE, "allocate_here");
      long inUseAfterFree =
          Workloads.valueWith(afterFree, ProfileType.INUSE_SPACE, "allocate_here");
      System.out.printf(
          "alloc (%s): allocated %.1f MiB (%.1f MiB along main→a→allocate_here, real %.1f MiB),"
              + " %d objects (real 4096); in use %.1f MiB, after free %.1f MiB%n",
          profiler.allocatorKind(),
          allocated / 1048576.0,
          chain / 1048576.0,
          TOTAL / 1048576.0,
          objects,
          inUse / 1048576.0,
          inUseAfterFree / 1048576.0);
      String top = Workloads.top(afterAlloc, ProfileType.ALLOC_SPACE);
      assertThat((double) allocated / TOTAL).as(top).isBetween(0.8, 1.2);
      assertThat((double) chain / TOTAL).as(top).isBetween(0.8, 1.2);
      assertThat((double) inUse / TOTAL).as(top).isBetween(0.8, 1.2);
      assertThat(inUseAfterFree).isLessThan(inUse / 10);
      Profile p =
          afterAlloc.stream()
              .filter(x -> x.type().equals(ProfileType.ALLOC_SPACE))
              .findFirst()
              .orElseThrow();
      assertThat(p.period()).isEqualTo(512 * 1024);
    } finally {
      workload.destroy();
    }
  }
}
