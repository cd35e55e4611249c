package dev.hearth.ingest;

import dev.hearth.model.Profile;
import dev.hearth.storage.ProfileWriter;
import dev.hearth.storage.WriteBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Gathers the profiles of concurrent requests into one storage write per tenant, flushed once it
 * holds {@code maxSamples} samples or its oldest profile has waited {@code maxDelay}. Each
 * submission's {@code Mono} completes when the write holding it has completed, and fails with that
 * write's error: nothing is acknowledged before it is stored.
 */
final class BatchingWriter implements AutoCloseable {
  private final ProfileWriter writer;
  private final long maxSamples;
  private final Duration maxDelay;
  private final ScheduledExecutorService timer;
  private final Map<String, Pending> pending = new HashMap<>();
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
      ProfileWriter writer, long maxSamples, Duration maxDelay, ScheduledExecutorService timer) {
    this.writer = writer;
    this.maxSamples = maxSamples;
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
          Pending full = null;
          synchronized (this) {
            if (closed) {
              return Mono.error(
                  new dev.hearth.storage.StorageUnavailableException(
                      "ingest is shutting down", null));
            }
            Pending p = pending.computeIfAbsent(tenant, Pending::new);
            p.profiles.addAll(profiles);
            p.waiters.add(done);
            for (Profile profile : profiles) {
              p.samples += profile.samples().size();
            }
            if (p.samples >= maxSamples || maxDelay.isZero()) {
              full = take(tenant);
            } else if (p.deadline == null) {
              p.deadline =
                  timer.schedule(
                      () -> flushAfterDelay(p), maxDelay.toNanos(), TimeUnit.NANOSECONDS);
            }
          }
          if (full != null) {
            write(full);
          }
          return done.asMono();
        });
  }

  private void flushAfterDelay(Pending p) {
    synchronized (this) {
      if (pending.get(p.tenant) != p) {
        return;
      }
      pending.remove(p.tenant);
    }
    write(p);
  }

  private @Nullable Pending take(String tenant) {
    Pending p = pending.remove(tenant);
    if (p != null && p.deadline != null) {
      p.deadline.cancel(false);
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
        e -> p.waiters.forEach(w -> w.tryEmitError(e)),
        () -> p.waiters.forEach(Sinks.Empty::tryEmitEmpty));
  }

  /** Writes what is pending and refuses further submissions. */
  @Override
  public void close() {
    List<Pending> rest;
    synchronized (this) {
      closed = true;
      rest = new ArrayList<>(pending.values());
      pending.clear();
    }
    for (Pending p : rest) {
      if (p.deadline != null) {
        p.deadline.cancel(false);
      }
      write(p);
    }
  }
}
