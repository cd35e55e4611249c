package dev.hearth.agent.symbol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Perf maps per process. A map is re-read, at most every {@link #REREAD_NANOS}, when an address
 * misses it; for a JVM a miss also asks the JVM to write a fresh map ({@code jcmd <pid>
 * Compiler.perfmap}, a snapshot), at most every {@link #JCMD_NANOS}, off the sampling thread.
 */
public final class JitMaps implements AutoCloseable {
  static final long REREAD_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final long JCMD_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final class Entry {
    PerfMap map = PerfMap.EMPTY;
    long readAt;
    long jcmdAt = Long.MIN_VALUE / 2;
    volatile boolean jcmdDone;
  }

  private final Map<Integer, Entry> byPid = new ConcurrentHashMap<>();
  private final ExecutorService jcmdRunner =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "hearth-jcmd");
            t.setDaemon(true);
            return t;
          });

  /**
   * The name of JIT code at {@code address} in {@code pid}, or null.
   *
   * @param jvmHome the JVM's home when the process is a JVM (its {@code bin/jcmd} is used), else
   *     null
   */
  public @Nullable String lookup(int pid, long address, @Nullable Path jvmHome) {
    Entry e = byPid.computeIfAbsent(pid, p -> new Entry());
    long now = System.nanoTime();
    if (e.readAt == 0 || e.jcmdDone) {
      e.jcmdDone = false;
      e.map = PerfMap.read(path(pid));
      e.readAt = now;
    }
    String name = e.map.lookup(address);
    if (name != null) {
      return name;
    }
    if (now - e.readAt > REREAD_NANOS) {
      e.map = PerfMap.read(path(pid));
      e.readAt = now;
      name = e.map.lookup(address);
      if (name != null) {
        return name;
      }
    }
    if (jvmHome != null && now - e.jcmdAt > JCMD_NANOS) {
      e.jcmdAt = now;
      jcmdRunner.execute(() -> runJcmd(pid, jvmHome, e));
    }
    return null;
  }

  /**
   * Has the JVM write its perf map now and waits for it (at most once per {@link #REREAD_NANOS} per
   * process). For the flush thread, never the sampling thread.
   */
  public void refreshNow(int pid, Path jvmHome) {
    Entry e = byPid.computeIfAbsent(pid, p -> new Entry());
    long now = System.nanoTime();
    if (now - e.jcmdAt < REREAD_NANOS) {
      return;
    }
    e.jcmdAt = now;
    runJcmd(pid, jvmHome, e);
  }

  private static Path path(int pid) {
    Path own = Path.of("/tmp/perf-" + pid + ".map");
    return Files.exists(own) ? own : Path.of("/proc/" + pid + "/root/tmp/perf-" + pid + ".map");
  }

  private static void runJcmd(int pid, Path jvmHome, Entry e) {
    Path jcmd = jvmHome.resolve("bin/jcmd");
    if (!Files.isExecutable(jcmd)) {
      jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Integer.toString(pid), "Compiler.perfmap")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      e.jcmdDone = true;
    } catch (Exception ex) {
      // the JVM may have exited or refuse attach; the next miss tries again later
    }
  }

  /** Forgets a process. */
  public void remove(int pid) {
    byPid.remove(pid);
  }

  @Override
  public void close() {
    jcmdRunner.shutdownNow();
  }
}
