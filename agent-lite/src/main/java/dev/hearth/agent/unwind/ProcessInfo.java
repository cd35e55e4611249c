package dev.hearth.agent.unwind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the agent knows about one process: its executable mappings (re-read when an address misses
 * them), executable name, container, and runtime. Kept for a grace period after the process exits,
 * so samples taken just before the exit are still unwound and named.
 */
public final class ProcessInfo {
  private static final Pattern PYTHON = Pattern.compile("(?:lib)?python(\\d+\\.\\d+)");

  final int pid;
  volatile ProcessMaps maps;
  volatile long mapsReadAt;
  volatile long lastSeen;
  final String executable;
  final Container container;
  final @Nullable Path jvmHome;
  final boolean jvmFramePointers;
  final String runtimeName;
  final String runtimeVersion;

  ProcessInfo(int pid, String fallbackName, long now) {
    this.pid = pid;
    this.maps = ProcessMaps.read(pid);
    this.mapsReadAt = now;
    this.lastSeen = now;
    this.executable = executable(pid, fallbackName);
    String cgroup = read(Path.of("/proc/" + pid + "/cgroup"));
    this.container = Container.fromCgroup(cgroup);
    Path jvm = null;
    String python = "";
    for (ProcessMaps.Entry e : maps.entries()) {
      if (e.path().endsWith("/libjvm.so")) {
        Path home = Path.of(e.path()).getParent();
        for (int i = 0; i < 2 && home != null; i++) {
          home = home.getParent();
        }
        jvm = home;
      }
      Matcher m =
          PYTHON.matcher(Path.of(e.path().isEmpty() ? "x" : e.path()).getFileName().toString());
      if (python.isEmpty() && m.lookingAt()) {
        python = m.group(1);
      }
    }
    this.jvmHome = jvm;
    this.jvmFramePointers = jvm != null && preservesFramePointer(pid);
    if (jvm != null) {
      runtimeName = "java";
      runtimeVersion = javaVersion(jvm);
    } else if (!python.isEmpty()) {
      runtimeName = "cpython";
      runtimeVersion = python;
    } else if (executable.equals("node") || executable.equals("nodejs")) {
      runtimeName = "nodejs";
      runtimeVersion = "";
    } else {
      runtimeName = "";
      runtimeVersion = "";
    }
  }

  private static String executable(int pid, String fallback) {
    try {
      Path exe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe"));
      Path name = exe.getFileName();
      String s = name == null ? fallback : name.toString();
      return s.endsWith(" (deleted)") ? s.substring(0, s.length() - 10) : s;
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }

  /** Whether the JVM was started with -XX:+PreserveFramePointer (command line or environment). */
  private static boolean preservesFramePointer(int pid) {
    String flag = "-XX:+PreserveFramePointer";
    return read(Path.of("/proc/" + pid + "/cmdline")).contains(flag)
        || read(Path.of("/proc/" + pid + "/environ")).contains(flag);
  }

  private static String javaVersion(Path home) {
    for (String line : read(home.resolve("release")).split("\n")) {
      if (line.startsWith("JAVA_VERSION=")) {
        return line.substring("JAVA_VERSION=".length()).replace("\"", "").strip();
      }
    }
    return "";
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  public int pid() {
    return pid;
  }

  public ProcessMaps maps() {
    return maps;
  }

  /** Base name of the executable ({@code /proc/<pid>/exe}), or the thread name when unreadable. */
  public String executable() {
    return executable;
  }

  /** Container id from the cgroup path (Docker, containerd, CRI-O, Podman), or empty. */
  public String containerId() {
    return container.id();
  }

  /** The container runtime ({@code docker}, {@code containerd}, ...), or empty. */
  public String containerRuntime() {
    return container.runtime();
  }

  /** Kubernetes pod UID from the cgroup path, or empty. */
  public String podUid() {
    return container.podUid();
  }

  /** The JVM's home directory when this process is a JVM. */
  public @Nullable Path jvmHome() {
    return jvmHome;
  }

  /**
   * Whether this is a JVM that keeps frame pointers in JIT code ({@code
   * -XX:+PreserveFramePointer}): only those are asked for perf maps through {@code jcmd}, as only
   * their stacks walk.
   */
  public boolean jvmFramePointers() {
    return jvmFramePointers;
  }

  /** {@code java}, {@code cpython}, {@code nodejs}, or empty. */
  public String runtimeName() {
    return runtimeName;
  }

  /** The runtime's version where known, or empty. */
  public String runtimeVersion() {
    return runtimeVersion;
  }
}
