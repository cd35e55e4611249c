package dev.hearth.agent.unwind;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container a process runs in, read from its {@code /proc/<pid>/cgroup} with strict patterns: a
 * whole path segment must name the runtime and a 64-hex id ({@code docker-<id>.scope}, {@code
 * cri-containerd-<id>.scope}, {@code crio-<id>.scope}, {@code libpod-<id>.scope}, or a bare {@code
 * <id>} under {@code docker/}, {@code containerd/} or a Kubernetes pod). Other hex ids (these
 * machines' own cgroups hold 32-hex ids that are not containers) are not containers.
 *
 * @param id the 64-hex container id, or empty
 * @param runtime {@code docker}, {@code containerd}, {@code cri-o}, {@code podman}, {@code cri} (a
 *     bare id under a pod, cgroupfs driver), or empty
 * @param podUid the Kubernetes pod UID (with dashes), or empty
 */
public record Container(String id, String runtime, String podUid) {
  public static final Container NONE = new Container("", "", "");

  private static final Pattern SCOPE =
      Pattern.compile("(docker|cri-containerd|crio|libpod)-([0-9a-f]{64})\\.scope");
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern POD =
      Pattern.compile(
          "(?:kubepods(?:-[a-z]+)*-)?pod"
              + "([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})"
              + "(?:\\.slice)?");

  /** Reads the container from the text of a {@code /proc/<pid>/cgroup} file. */
  public static Container fromCgroup(String text) {
    String id = "";
    String runtime = "";
    String pod = "";
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':', line.indexOf(':') + 1);
      if (colon < 0) {
        continue;
      }
      String path = line.substring(colon + 1);
      boolean kube = path.contains("/kubepods");
      String[] segments = path.split("/");
      for (int i = 0; i < segments.length; i++) {
        String s = segments[i];
        Matcher scope = SCOPE.matcher(s);
        Matcher podMatch = POD.matcher(s);
        if (kube && pod.isEmpty() && podMatch.matches()) {
          pod = podMatch.group(1).replace('_', '-');
        } else if (id.isEmpty() && scope.matches()) {
          id = scope.group(2);
          runtime =
              switch (scope.group(1)) {
                case "cri-containerd" -> "containerd";
                case "crio" -> "cri-o";
                case "libpod" -> "podman";
                default -> "docker";
              };
        } else if (id.isEmpty() && i > 0 && ID.matcher(s).matches()) {
          String parent = segments[i - 1];
          if (parent.equals("docker")) {
            id = s;
            runtime = "docker";
          } else if (parent.equals("containerd")) {
            id = s;
            runtime = "containerd";
          } else if (kube && POD.matcher(parent).matches()) {
            id = s;
            runtime = "cri";
          }
        }
      }
    }
    return id.isEmpty() && pod.isEmpty() ? NONE : new Container(id, runtime, pod);
  }
}
