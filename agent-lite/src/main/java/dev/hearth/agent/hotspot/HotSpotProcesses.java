package dev.hearth.agent.hotspot;

import dev.hearth.agent.symbol.ObjectFile;
import dev.hearth.agent.symbol.ObjectFiles;
import dev.hearth.agent.unwind.ProcessInfo;
import dev.hearth.agent.unwind.ProcessMaps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The HotSpot JVMs among the sampled processes. A JVM is opened when first sampled; one whose
 * VMStructs cannot be read yet (still starting) is tried again, at most once every {@link
 * #RETRY_NANOS}.
 */
public final class HotSpotProcesses implements AutoCloseable {
  static final long RETRY_NANOS = 2_000_000_000L;

  private final ObjectFiles objects;
  private final Map<Integer, HotSpotProcess> byPid = new ConcurrentHashMap<>();
  private final Map<Integer, Long> failedAt = new ConcurrentHashMap<>();

  public HotSpotProcesses(ObjectFiles objects) {
    this.objects = objects;
  }

  /** The JVM {@code p}, opened now if new; null when {@code p} is no readable HotSpot. */
  public @Nullable HotSpotProcess get(ProcessInfo p) {
    if (p.jvmHome() == null) {
      return null;
    }
    HotSpotProcess known = byPid.get(p.pid());
    if (known != null) {
      return known;
    }
    Long failed = failedAt.get(p.pid());
    long now = System.nanoTime();
    if (failed != null && now - failed < RETRY_NANOS) {
      return null;
    }
    HotSpotProcess opened = open(p);
    if (opened == null) {
      failedAt.put(p.pid(), now);
      return null;
    }
    failedAt.remove(p.pid());
    byPid.put(p.pid(), opened);
    return opened;
  }

  private @Nullable HotSpotProcess open(ProcessInfo p) {
    for (ProcessMaps.Entry e : p.maps().entries()) {
      if (!e.path().endsWith("/libjvm.so")) {
        continue;
      }
      ObjectFile object = objects.get(p.pid(), e.path(), e.inodeKey());
      long mappedAt = object == null ? -1 : object.address(e.offset());
      if (object != null && mappedAt >= 0) {
        return HotSpotProcess.open(
            p.pid(), object.elf(), e.start() - mappedAt, feature(p.runtimeVersion()));
      }
    }
    return null;
  }

  /** The feature release of a {@code JAVA_VERSION} such as {@code 25.0.1} or {@code 1.8.0_402}. */
  static int feature(String version) {
    String[] parts = version.split("[._+-]");
    try {
      int first = Integer.parseInt(parts[0]);
      return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    } catch (NumberFormatException e) {
      return 25; // unknown: assume a current JDK
    }
  }

  /** Forgets JVMs that have exited. */
  public void expire() {
    for (Integer pid : byPid.keySet()) {
      if (!Files.exists(Path.of("/proc/" + pid))) {
        HotSpotProcess gone = byPid.remove(pid);
        if (gone != null) {
          gone.close();
        }
      }
    }
    failedAt.keySet().removeIf(pid -> !Files.exists(Path.of("/proc/" + pid)));
  }

  @Override
  public void close() {
    byPid.values().forEach(HotSpotProcess::close);
    byPid.clear();
  }
}
