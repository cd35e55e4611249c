package dev.hearth.storage.clickhouse;

import dev.hearth.storage.embedded.EmbeddedClickHouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.clickhouse.ClickHouseContainer;

/**
 * The ClickHouse tests run against, chosen once per JVM: an external server when {@code
 * HEARTH_TEST_CLICKHOUSE_URL} is set (with {@code _USER} and {@code _PASSWORD}), else a
 * Testcontainers server when Docker answers, else the embedded engine. Never none: no test is
 * skipped for want of ClickHouse.
 */
public final class TestClickHouse {
  private static @Nullable TestClickHouse instance;

  private final ClickHouseEndpoint endpoint;
  private final String mode;
  private final @Nullable EmbeddedClickHouse embedded;

  private TestClickHouse(
      ClickHouseEndpoint endpoint, String mode, @Nullable EmbeddedClickHouse embedded) {
    this.endpoint = endpoint;
    this.mode = mode;
    this.embedded = embedded;
  }

  public static synchronized TestClickHouse get() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  private static TestClickHouse start() {
    String url = System.getenv("HEARTH_TEST_CLICKHOUSE_URL");
    if (url != null && !url.isBlank()) {
      return new TestClickHouse(
          new ClickHouseEndpoint(
              url,
              env("HEARTH_TEST_CLICKHOUSE_USER", "default"),
              env("HEARTH_TEST_CLICKHOUSE_PASSWORD", "")),
          "external",
          null);
    }
    if (dockerAnswers()) {
      ClickHouseContainer container = new ClickHouseContainer("clickhouse/clickhouse-server:26.3");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return new TestClickHouse(
          new ClickHouseEndpoint(
              "http://" + container.getHost() + ":" + container.getMappedPort(8123),
              container.getUsername(),
              container.getPassword()),
          "testcontainers",
          null);
    }
    EmbeddedClickHouse engine = new EmbeddedClickHouse(freshDataDir("shared"));
    engine.start();
    Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
    return new TestClickHouse(endpointOf(engine), "embedded", engine);
  }

  static ClickHouseEndpoint endpointOf(EmbeddedClickHouse engine) {
    return new ClickHouseEndpoint(engine.httpUrl().toString(), engine.user(), engine.password());
  }

  /** A new empty directory under {@code target/} for an embedded engine's data. */
  static Path freshDataDir(String name) {
    try {
      Path dir =
          Path.of(
              "target", "clickhouse-" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
      return Files.createDirectories(dir).toAbsolutePath();
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a data directory under target/", e);
    }
  }

  private static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }

  public ClickHouseEndpoint endpoint() {
    return endpoint;
  }

  public String mode() {
    return mode;
  }

  public @Nullable EmbeddedClickHouse embedded() {
    return embedded;
  }

  /** A database name no other test class uses. */
  public static String freshDatabase(String prefix) {
    return (prefix + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT)
        .replace('-', '_');
  }
}
