package dev.hearth.storage.embedded;

import dev.hearth.storage.clickhouse.ClickHouseEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the embedded engine and restarts it when it dies, waiting 1 s, 2 s, 4 s … up to a maximum
 * between failed attempts. While it is down, writes fail (the store reports the engine unreachable)
 * and health is DOWN; nothing is queued or dropped here. After a restart on another port the store
 * is pointed at the new endpoint.
 */
public final class EmbeddedEngineSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedEngineSupervisor.class);
  private static final Duration CHECK_EVERY = Duration.ofMillis(250);
  static final int DEAF_CHECKS = 20;

  private final EmbeddedClickHouse engine;
  private final Duration restartDelay;
  private final Duration backoffMax;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("hearth-embedded-supervisor").unstarted(r));
  private volatile Consumer<ClickHouseEndpoint> onNewEndpoint = e -> {};
  private volatile int restarts;
  private volatile String state = "running";
  private volatile String lastError = "";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private Duration backoff = Duration.ofSeconds(1);
  private long nextAttemptNanos;
  private int silentChecks;

  public EmbeddedEngineSupervisor(
      EmbeddedClickHouse engine, Duration restartDelay, Duration backoffMax) {
    this.engine = engine;
    this.restartDelay = restartDelay;
    this.backoffMax = backoffMax;
  }

  /** Starts watching; {@code onNewEndpoint} hears of each restart's endpoint. */
  public void watch(Consumer<ClickHouseEndpoint> newEndpointListener) {
    this.onNewEndpoint = newEndpointListener;
    scheduler.scheduleWithFixedDelay(
        this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  public static ClickHouseEndpoint endpointOf(EmbeddedClickHouse engine) {
    return new ClickHouseEndpoint(engine.httpUrl().toString(), engine.user(), engine.password());
  }

  private void check() {
    try {
      if (engine.isAlive() && state.equals("running")) {
        silentChecks = answersPing() ? 0 : silentChecks + 1;
        if (silentChecks < DEAF_CHECKS) {
          return;
        }
        log.error(
            "embedded ClickHouse (pid {}) is alive but does not answer /ping; restarting it",
            engine.pid());
        silentChecks = 0;
        state = "restarting";
        nextAttemptNanos = System.nanoTime();
      }
      if (state.equals("running")) {
        log.error(
            "embedded ClickHouse (pid {}) died; restarting it. Its log: {}",
            engine.pid(),
            engine.logFile());
        state = "restarting";
        nextAttemptNanos = System.nanoTime() + restartDelay.toNanos();
      }
      if (System.nanoTime() < nextAttemptNanos) {
        return;
      }
      String oldUrl = engine.httpUrl().toString();
      engine.restart();
      restarts++;
      state = "running";
      lastError = "";
      backoff = Duration.ofSeconds(1);
      log.info("embedded ClickHouse restarted as pid {} on {}", engine.pid(), engine.httpUrl());
      if (!engine.httpUrl().toString().equals(oldUrl)) {
        onNewEndpoint.accept(endpointOf(engine));
      }
    } catch (RuntimeException e) {
      lastError = String.valueOf(e.getMessage());
      log.error("restarting the embedded ClickHouse failed; next try in {}", backoff, e);
      nextAttemptNanos = System.nanoTime() + backoff.toNanos();
      backoff =
          backoff.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : backoff.multipliedBy(2);
    }
  }

  private boolean answersPing() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(engine.httpUrl() + "/ping"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** What health reports about the engine. */
  public Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mode", "embedded");
    d.put("engine", state);
    d.put("pid", engine.isAlive() ? engine.pid() : -1);
    d.put("restarts", restarts);
    d.put("dataDir", engine.dataDir().toString());
    if (!lastError.isEmpty()) {
      d.put("lastRestartError", lastError);
    }
    return d;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    http.close();
  }
}
