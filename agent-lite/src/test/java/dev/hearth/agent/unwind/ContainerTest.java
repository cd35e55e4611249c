package dev.hearth.agent.unwind;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainerTest {
  private static final String ID =
      "3f4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f";
  private static final String POD = "0c2a4b6d-1e3f-4a5b-8c7d-9e0f1a2b3c4d";

  @Test
  void dockerScopeOnCgroupV2() {
    assertThat(Container.fromCgroup("0::/system.slice/docker-" + ID + ".scope\n"))
        .isEqualTo(new Container(ID, "docker", ""));
  }

  @Test
  void dockerOnCgroupV1() {
    assertThat(Container.fromCgroup("4:memory:/docker/" + ID + "\n0::/\n"))
        .isEqualTo(new Container(ID, "docker", ""));
  }

  @Test
  void kubernetesSystemdDriverWithContainerd() {
    String path =
        "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
            + POD.replace('-', '_')
            + ".slice/cri-containerd-"
            + ID
            + ".scope";
    assertThat(Container.fromCgroup(path)).isEqualTo(new Container(ID, "containerd", POD));
  }

  @Test
  void kubernetesCgroupfsDriverBareId() {
    assertThat(Container.fromCgroup("3:pids:/kubepods/besteffort/pod" + POD + "/" + ID))
        .isEqualTo(new Container(ID, "cri", POD));
  }

  @Test
  void crioAndPodman() {
    assertThat(Container.fromCgroup("0::/machine.slice/crio-" + ID + ".scope").runtime())
        .isEqualTo("cri-o");
    assertThat(Container.fromCgroup("0::/user.slice/libpod-" + ID + ".scope").runtime())
        .isEqualTo("podman");
  }

  @Test
  void hexIdsThatAreNotContainersAreIgnored() {
    // This machine's own cgroups: 32-hex ids that are not containers.
    assertThat(
            Container.fromCgroup("4:memory:/process_api/20b9efd74b2e53f405566b746cb41a34\n0::/\n"))
        .isEqualTo(Container.NONE);
    assertThat(Container.fromCgroup("0::/some/" + ID)).isEqualTo(Container.NONE);
    assertThat(Container.fromCgroup("0::/system.slice/docker-" + ID.substring(32) + ".scope"))
        .isEqualTo(Container.NONE);
    assertThat(Container.fromCgroup("0::/machine.slice/libpod-conmon-" + ID + ".scope"))
        .isEqualTo(Container.NONE);
    assertThat(Container.fromCgroup("0::/pod" + POD + "/x")).isEqualTo(Container.NONE);
  }
}
