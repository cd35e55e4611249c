package dev.hearth.model.codec.jfr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A small multi-threaded workload with distinctive method names, run while a test records JFR: CPU
 * ({@link #jfrTestSpin}), allocation ({@link #jfrTestAllocate}), monitor contention ({@link
 * #jfrTestContend}), park contention ({@link #jfrTestPark}) and async-profiler-style wall-clock
 * samples carrying Pyroscope's {@code contextId} ({@link #jfrTestWall}).
 */
final class JfrWorkload {
  private JfrWorkload() {}

  static final String CLASS = JfrWorkload.class.getName();

  /** Context id the wall-clock events carry. */
  static final long CONTEXT_ID = 42;

  /** Samples per wall-clock event. */
  static final long WALL_SAMPLES = 3;

  private static final Object MONITOR = new Object();
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static volatile long sink;

  /** Shaped like async-profiler's wall-clock event, plus the context id Pyroscope adds. */
  @Name("profiler.WallClockSample")
  @Label("Wall clock sample")
  @StackTrace(true)
  static final class WallClockSample extends Event {
    @Label("Samples")
    long samples;

    @Label("Context id")
    long contextId;
  }

  /**
   * Runs every part of the workload on its own named threads for {@code length}.
   *
   * @return a value computed by the workload, so the JIT cannot drop it
   */
  static long run(Duration length) throws InterruptedException {
    long deadline = System.nanoTime() + length.toNanos();
    List<Thread> threads = new ArrayList<>();
    threads.add(Thread.ofPlatform().name("jfr-test-spin").unstarted(() -> jfrTestSpin(deadline)));
    threads.add(
        Thread.ofPlatform().name("jfr-test-alloc").unstarted(() -> jfrTestAllocate(deadline)));
    for (int i = 0; i < 3; i++) {
      threads.add(
          Thread.ofPlatform()
              .name("jfr-test-monitor-" + i)
              .unstarted(() -> jfrTestContend(deadline)));
    }
    for (int i = 0; i < 2; i++) {
      threads.add(
          Thread.ofPlatform().name("jfr-test-park-" + i).unstarted(() -> jfrTestPark(deadline)));
    }
    threads.add(Thread.ofPlatform().name("jfr-test-wall").unstarted(JfrWorkload::jfrTestWall));
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return sink;
  }

  static void jfrTestSpin(long deadline) {
    long x = 88172645463325252L;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < 100_000; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
      }
    }
    sink += x;
  }

  static void jfrTestAllocate(long deadline) {
    int i = 0;
    while (System.nanoTime() < deadline) {
      // Every 64th array is too big for a TLAB, so it is allocated outside one.
      byte[] b = new byte[i % 64 == 0 ? 4 << 20 : 1024];
      sink += b.length;
      if (++i % 256 == 0) {
        pause();
      }
    }
  }

  static void jfrTestContend(long deadline) {
    while (System.nanoTime() < deadline) {
      synchronized (MONITOR) {
        busy(2_000_000);
      }
    }
  }

  static void jfrTestPark(long deadline) {
    while (System.nanoTime() < deadline) {
      LOCK.lock();
      try {
        busy(2_000_000);
      } finally {
        LOCK.unlock();
      }
    }
  }

  static void jfrTestWall() {
    for (int i = 0; i < 5; i++) {
      WallClockSample e = new WallClockSample();
      e.samples = WALL_SAMPLES;
      e.contextId = CONTEXT_ID;
      e.commit();
    }
  }

  private static void busy(long nanos) {
    long end = System.nanoTime() + nanos;
    long x = 1;
    while (System.nanoTime() < end) {
      x = x * 31 + 7;
    }
    sink += x;
  }

  private static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
