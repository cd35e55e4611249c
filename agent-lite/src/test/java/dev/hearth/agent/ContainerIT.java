package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container test: there is no container engine here, so cgroups are made by hand under
 * the names real runtimes use; a process moved into one carries that container's id, runtime and
 * pod UID, and {@code --container} keeps only it.
 */
class ContainerIT {
  private static final String ID =
      "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
  private static final String POD = "5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b";

  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void processInDockerScopeCarriesItsContainerId(@TempDir Path dir) throws Exception {
    Path root = cgroup2Root();
    Path slice = root.resolve("hearth-test.slice");
    Path scope = slice.resolve("docker-" + ID + ".scope");
    check(scope, "docker", "", dir);
  }

  @Test
  void processInKubernetesPodCarriesPodUid(@TempDir Path dir) throws Exception {
    Path root = cgroup2Root();
    Path scope =
        root.resolve("kubepods.slice")
            .resolve("kubepods-burstable.slice")
            .resolve("kubepods-burstable-pod" + POD.replace('-', '_') + ".slice")
            .resolve("cri-containerd-" + ID + ".scope");
    check(scope, "containerd", POD, dir);
  }

  private static void check(Path scope, String runtime, String pod, Path dir) throws Exception {
    Path binary = Workloads.compileC(dir);
    Files.createDirectories(scope);
    Process inside = Workloads.startC(binary, 4);
    Process outside = Workloads.startC(binary, 4);
    try {
      Files.writeString(scope.resolve("cgroup.procs"), Long.toString(inside.pid()));
      AgentConfig config =
          AgentConfig.parse(
                  "--frequency", "49", "--output", "/dev/null", "--container", ID.substring(0, 12))
              .withDuration(null);
      List<Profile> profiles = Workloads.profile(config, Duration.ofSeconds(2));
      System.out.printf(
          "container: %d profiles, labels %s%n",
          profiles.size(), profiles.isEmpty() ? "-" : profiles.getFirst().labels());
      assertThat(profiles).isNotEmpty();
      for (Profile p : profiles) {
        assertThat(p.labels().get("container_id")).isEqualTo(ID);
        assertThat(p.labels().get("container_runtime")).isEqualTo(runtime);
        assertThat(p.labels().get("k8s_pod_uid")).isEqualTo(pod.isEmpty() ? null : pod);
        assertThat(p.samples())
            .allSatisfy(s -> assertThat(s.attributes().getFirst().num()).isEqualTo(inside.pid()));
      }
    } finally {
      inside.destroyForcibly().waitFor();
      outside.destroyForcibly().waitFor();
      removeTree(scope, cgroup2Root());
    }
  }

  /** Where cgroup v2 is mounted: /sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts. */
  static Path cgroup2Root() throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/mounts"))) {
      return lines
          .map(l -> l.split(" "))
          .filter(f -> f[2].equals("cgroup2"))
          .map(f -> Path.of(f[1]))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no cgroup2 mount"));
    }
  }

  private static void removeTree(Path leaf, Path root) throws IOException {
    for (Path p = leaf; p != null && !p.equals(root); p = p.getParent()) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        return; // not empty: something else lives there
      }
    }
  }
}
