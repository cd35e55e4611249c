package dev.hearth.ingest;

import dev.hearth.model.Profile;
import dev.hearth.storage.ProfileWriter;
import dev.hearth.storage.StorageUnavailableException;
import dev.hearth.storage.WriteBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Group commit: a submission is written at once while fewer than {@code maxWrites} storage writes
 * are in flight; otherwise it joins its tenant's pending batch, which is written as soon as a write
 * finishes, once it holds {@code maxSamples} samples, or once its oldest profile has waited {@code
 * maxDelay}. An idle server thus answers a lone request without waiting, and a busy one writes
 * fewer, larger batches. Each submission's {@code Mono} completes when the write holding it has
 * completed, and fails with that write's error: nothing is acknowledged before it is stored.
 */
final class BatchingWriter implements AutoCloseable {
  private final ProfileWriter writer;
  private final long maxSamples;
  private final int maxWrites;
  private final Duration maxDelay;
  private final ScheduledExecutorService timer;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private int inFlight;
  private boolean closed;

  private static final class Pending {
    final String tenant;
    final List<Profile> profiles = new ArrayList<>();
    final List<Sinks.Empty<Void>> waiters = new ArrayList<>();
    long samples;
    @Nullable ScheduledFuture<?> deadline;

    Pending(String tenant) {
      this.tenant = tenant;
    }
  }

  BatchingWriter(
      ProfileWriter writer,
      long maxSamples,
      int maxWrites,
      Duration maxDelay,
      ScheduledExecutorService timer) {
    this.writer = writer;
    this.maxSamples = maxSamples;
    this.maxWrites = maxWrites;
    this.maxDelay = maxDelay;
    this.timer = timer;
  }

  /** Completes once {@code profiles} are stored. */
  Mono<Void> submit(String tenant, List<Profile> profiles) {
    if (profiles.isEmpty()) {
      return Mono.empty();
    }
    return Mono.defer(
        () -> {
          Sinks.Empty<Void> done = Sinks.empty();
          Pending now = null;
          synchronized (this) {
            if (closed) {
              return Mono.error(new StorageUnavailableException("ingest is shutting down", null));
            }
            Pending p = pending.computeIfAbsent(tenant, Pending::new);
            p.profiles.addAll(profiles);
            p.waiters.add(done);
            for (Profile profile : profiles) {
              p.samples += profile.samples().size();
            }
            if (inFlight < maxWrites || p.samples >= maxSamples || maxDelay.isZero()) {
              now = take(tenant);
            } else if (p.deadline == null) {
              p.deadline =
                  timer.schedule(
                      () -> flushAfterDelay(p), maxDelay.toNanos(), TimeUnit.NANOSECONDS);
            }
          }
          if (now != null) {
            write(now);
          }
          return done.asMono();
        });
  }

  private void flushAfterDelay(Pending p) {
    synchronized (this) {
      if (pending.get(p.tenant) != p) {
        return;
      }
      take(p.tenant);
    }
    write(p);
  }

  /** Removes a tenant's pending batch and counts it as in flight. Call holding the lock. */
  private @Nullable Pending take(String tenant) {
    Pending p = pending.remove(tenant);
    if (p != null) {
      inFlight++;
      if (p.deadline != null) {
        p.deadline.cancel(false);
      }
    }
    return p;
  }

  private void write(Pending p) {
    Mono<?> write;
    try {
      write = writer.write(new WriteBatch(p.tenant, p.profiles));
    } catch (RuntimeException e) {
      write = Mono.error(e);
    }
    write.subscribe(
        r -> {},
        e -> {
          p.waiters.forEach(w -> w.tryEmitError(e));
          finished();
        },
        () -> {
          p.waiters.forEach(Sinks.Empty::tryEmitEmpty);
          finished();
        });
  }

  /** A write ended: the batch that waited longest goes next. */
  private void finished() {
    Pending next = null;
    synchronized (this) {
      inFlight--;
      Iterator<String> oldest = pending.keySet().iterator();
      if (!closed && inFlight < maxWrites && oldest.hasNext()) {
        next = take(oldest.next());
      }
    }
    if (next != null) {
      write(next);
    }
  }

  /** Writes what is pending and refuses further submissions. */
  @Override
  public void close() {
    List<Pending> rest = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (String tenant : new ArrayList<>(pending.keySet())) {
        rest.add(take(tenant));
      }
    }
    rest.forEach(this::write);
  }
}
