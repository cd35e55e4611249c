package dev.hearth.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real engine: the first run fetches libchdb.so (about 180 MB) into the cache. */
class EmbeddedClickHouseTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @AfterAll
  static void closeClient() {
    HTTP.close();
  }

  @Test
  void servesOnlyTheHearthUserAndKeepsDataAcrossStarts(@TempDir Path dataDir) throws Exception {
    long firstPid;
    try (EmbeddedClickHouse clickHouse = new EmbeddedClickHouse(dataDir).start()) {
      firstPid = clickHouse.pid();
      assertThat(get(clickHouse.httpUrl().resolve("/ping")).body()).isEqualTo("Ok.\n");
      String version = sql(clickHouse, "SELECT version()");
      assertThat(Integer.parseInt(version.substring(0, version.indexOf('.'))))
          .isGreaterThanOrEqualTo(26);

      sql(clickHouse, "CREATE DATABASE hearth_test");
      sql(
          clickHouse,
          "CREATE TABLE hearth_test.t (id UInt64, name String) ENGINE = MergeTree ORDER BY id");
      sql(clickHouse, "INSERT INTO hearth_test.t VALUES (1, 'a'), (2, 'b')");

      assertDenied(post(clickHouse.httpUrl(), "SELECT count() FROM hearth_test.t", null));
      assertDenied(
          post(clickHouse.httpUrl(), "SELECT * FROM file('/etc/passwd', 'LineAsString')", null));
      assertDenied(post(clickHouse.httpUrl(), "CREATE DATABASE stranger", null));
      assertDenied(
          post(clickHouse.httpUrl(), "SELECT 1", new Credentials(clickHouse.user(), "guess")));

      try (EmbeddedClickHouse second = new EmbeddedClickHouse(dataDir)) {
        assertThatThrownBy(second::start).hasMessageContaining("is in use");
      }
    }
    assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

    try (EmbeddedClickHouse again = new EmbeddedClickHouse(dataDir).start()) {
      assertThat(
              sql(
                  again,
                  "SELECT groupArray(name) FROM (SELECT name FROM hearth_test.t ORDER BY id)"))
          .isEqualTo("['a','b']");
    }
  }

  /**
   * Finding 1 and 2 of issue 16: without the password nothing runs, not even {@code SYSTEM STOP
   * LISTEN}, however the request names {@code default}; the engine keeps serving; and user {@code
   * hearth} runs under the memory, time and concurrency limits it was started with.
   */
  @Test
  void onlyTheHearthUserIsServedAndEveryUserHasLimits(@TempDir Path dataDir) throws Exception {
    EngineLimits limits = new EngineLimits(64L << 20, Duration.ofSeconds(2), 7);
    try (EmbeddedClickHouse clickHouse =
        new EmbeddedClickHouse(dataDir, null, EmbeddedClickHouse.DEFAULT_STARTUP_TIMEOUT, limits)
            .start()) {
      URI base = clickHouse.httpUrl();
      Credentials defaultUser = new Credentials("default", "");
      Credentials wrongPassword = new Credentials(clickHouse.user(), "guess");
      String stop = "SYSTEM STOP LISTEN HTTP";
      for (int i = 0; i < 20; i++) {
        assertDenied(post(base, stop, null));
        assertDenied(post(base, stop, defaultUser));
        assertDenied(post(base.resolve("/?user=default"), stop, wrongPassword));
        assertDenied(
            send(
                HttpRequest.newBuilder(base.resolve("/?user=default&password="))
                    .header("X-ClickHouse-User", "default")
                    .POST(HttpRequest.BodyPublishers.ofString(stop))));
        assertDenied(get(base.resolve("/?query=SYSTEM%20STOP%20LISTEN%20HTTP")));
      }
      String greedy = "SELECT length(groupArray(number)) FROM numbers(200000000)";
      assertDenied(post(base, greedy, null));
      assertThat(sql(clickHouse, "SELECT currentUser()")).isEqualTo("hearth");

      HttpResponse<String> tooBig = post(base, greedy, credentials(clickHouse));
      assertThat(tooBig.statusCode()).isNotEqualTo(200);
      assertThat(tooBig.body()).contains("MEMORY_LIMIT_EXCEEDED");
      HttpResponse<String> tooLong =
          post(base, "SELECT count() FROM numbers(1000000000000)", credentials(clickHouse));
      assertThat(tooLong.body()).contains("TIMEOUT_EXCEEDED");
      assertThat(
              sql(
                  clickHouse,
                  "SELECT value FROM system.settings WHERE name = 'max_concurrent_queries_for_user'"))
          .isEqualTo("7");

      // Finding 7: the data directory is its owner's alone, and so is every file the engine wrote.
      sql(clickHouse, "CREATE TABLE default.t (id UInt64) ENGINE = MergeTree ORDER BY id");
      sql(clickHouse, "INSERT INTO default.t SELECT number FROM numbers(1000)");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
          .isEqualTo("rwx------");
      try (var files = Files.walk(dataDir)) {
        assertThat(files.filter(f -> !f.equals(dataDir)).filter(f -> !privateToOwner(f)).toList())
            .as("files readable by group or others")
            .isEmpty();
      }
    }
  }

  private static boolean privateToOwner(Path file) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(file))
          .substring(3)
          .equals("------");
    } catch (IOException e) {
      return true; // Gone meanwhile (a temporary part).
    }
  }

  @Test
  void restartsAfterTheChildIsKilled(@TempDir Path dataDir) throws Exception {
    try (EmbeddedClickHouse clickHouse = new EmbeddedClickHouse(dataDir).start()) {
      sql(clickHouse, "CREATE TABLE default.t (id UInt64) ENGINE = MergeTree ORDER BY id");
      sql(clickHouse, "INSERT INTO default.t SELECT number FROM numbers(1000)");
      long pid = clickHouse.pid();
      URI url = clickHouse.httpUrl();

      ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (clickHouse.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(clickHouse.isAlive()).isFalse();

      clickHouse.restart();
      assertThat(clickHouse.isAlive()).isTrue();
      assertThat(clickHouse.pid()).isNotEqualTo(pid);
      assertThat(clickHouse.httpUrl()).as("the port is kept while free").isEqualTo(url);
      assertThat(sql(clickHouse, "SELECT count() FROM default.t")).isEqualTo("1000");
    }
  }

  @Test
  void aChildThatCannotStartIsReportedWithItsOutput(@TempDir Path dataDir) throws Exception {
    Path notALibrary = Files.writeString(dataDir.resolve("libchdb.so"), "not an ELF file");

    try (EmbeddedClickHouse clickHouse =
        new EmbeddedClickHouse(dataDir, notALibrary, Duration.ofSeconds(30))) {
      assertThatThrownBy(clickHouse::start)
          .isInstanceOf(EmbeddedClickHouseException.class)
          .hasMessageContaining("exited with status 1")
          .hasMessageContaining(notALibrary.toString());
      assertThat(clickHouse.isAlive()).isFalse();
    }
  }

  private static String sql(EmbeddedClickHouse clickHouse, String query) throws Exception {
    HttpResponse<String> response =
        post(
            clickHouse.httpUrl(), query, new Credentials(clickHouse.user(), clickHouse.password()));
    assertThat(response.statusCode()).as("%s: %s", query, response.body()).isEqualTo(200);
    return response.body().strip();
  }

  private static void assertDenied(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isNotEqualTo(200);
    assertThat(response.body()).containsAnyOf("ACCESS_DENIED", "AUTHENTICATION_FAILED");
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Credentials credentials(EmbeddedClickHouse clickHouse) {
    return new Credentials(clickHouse.user(), clickHouse.password());
  }

  private static HttpResponse<String> post(
      URI base, String query, @Nullable Credentials credentials)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("/"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(query));
    if (credentials != null) {
      request.header("Authorization", credentials.basic());
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private record Credentials(String user, String password) {
    String basic() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
  }
}
