package dev.hearth.storage.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One child process running {@link EmbeddedClickHouseMain}, from spawn to stop. */
final class EmbeddedChild {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Process process;
  private final int port;
  private final Path log;

  private EmbeddedChild(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code command} with standard output and error copied into {@code log} (see {@link
   * RotatingLog}); the log of the previous start is kept as {@code <log>.1}.
   */
  static EmbeddedChild spawn(List<String> command, int port, Path log) {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(log.getParent().toFile()).redirectErrorStream(true);
    // The parent's agents and debug ports must not follow it into the child.
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    try {
      RotatingLog output =
          RotatingLog.start(
              log,
              "# " + Instant.now() + " starting: " + String.join(" ", command) + "\n",
              RotatingLog.MAX_BYTES);
      Process process = builder.start();
      output.pump(process.getInputStream(), "hearth-embedded-log-" + process.pid());
      return new EmbeddedChild(process, port, log);
    } catch (IOException e) {
      throw new EmbeddedClickHouseException(
          "cannot start the embedded ClickHouse's child process: " + e, e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Polls {@code /ping} until it answers {@code Ok.}, then checks that a query as {@code user}
   * works, which proves the server is this child and its users file took effect. Stops the child on
   * failure.
   *
   * @return false if the child died because another process had taken the port
   * @throws EmbeddedClickHouseException if the child died otherwise, or did not answer in time
   */
  boolean awaitReady(HttpClient http, String user, String password, Duration timeout) {
    URI base = URI.create("http://" + LoopbackPorts.HOST + ":" + port);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        if (!process.isAlive()) {
          String output = LogTail.of(log);
          if (output.contains("Address already in use")) {
            stop(); // Releases our end of its pipe.
            return false;
          }
          throw new EmbeddedClickHouseException(
              "the embedded ClickHouse exited with status "
                  + process.exitValue()
                  + " before answering on port "
                  + port
                  + "; "
                  + output);
        }
        if (answersPing(http, base)) {
          checkCredentials(http, base, user, password);
          return true;
        }
        if (System.nanoTime() > deadline) {
          throw new EmbeddedClickHouseException(
              "the embedded ClickHouse did not answer "
                  + base
                  + "/ping within "
                  + timeout.toSeconds()
                  + " s; "
                  + LogTail.of(log));
        }
        Thread.sleep(POLL_INTERVAL);
      }
    } catch (InterruptedException e) {
      stop();
      Thread.currentThread().interrupt();
      throw new EmbeddedClickHouseException(
          "interrupted while starting the embedded ClickHouse", e);
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  /**
   * Closes the child's standard input, which makes it halt at once; kills it if it is still there
   * after a few seconds.
   */
  void stop() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already closed, or the child is gone: either way nothing holds it any more.
    }
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static boolean answersPing(HttpClient http, URI base) throws InterruptedException {
    HttpRequest ping =
        HttpRequest.newBuilder(base.resolve("/ping")).timeout(Duration.ofSeconds(2)).build();
    try {
      HttpResponse<String> response = http.send(ping, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().strip().equals("Ok.");
    } catch (IOException e) {
      return false; // Not listening yet.
    }
  }

  private void checkCredentials(HttpClient http, URI base, String user, String password)
      throws InterruptedException {
    String basic =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(
                base.resolve(
                    "/?query=" + URLEncoder.encode("SELECT currentUser()", StandardCharsets.UTF_8)))
            .header("Authorization", "Basic " + basic)
            .timeout(Duration.ofSeconds(10))
            .build();
    String problem;
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200 && response.body().strip().equals(user)) {
        return;
      }
      problem = "HTTP " + response.statusCode() + ": " + response.body().strip();
    } catch (IOException e) {
      problem = e.toString();
    }
    throw new EmbeddedClickHouseException(
        "the server on "
            + base
            + " answers /ping but not a query as user "
            + user
            + " ("
            + problem
            + "); is another process on that port? child pid "
            + process.pid()
            + "; "
            + LogTail.of(log));
  }
}
