package dev.hearth.storage.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The embedded ClickHouse: chDB's {@code libchdb.so} in a child JVM ({@link
 * EmbeddedClickHouseMain}) serving ClickHouse's HTTP interface on a loopback port, with its data in
 * a directory that outlives the child, readable by its owner only ({@code 0700}; the engine's files
 * are {@code 0600}).
 *
 * <p>Layout of the data directory: {@code clickhouse/} is ClickHouse's own {@code --path}; {@code
 * embedded/} holds the generated {@code config.xml} and {@code users.xml} and the child's output,
 * {@link #logFile()} (the previous start's with suffix {@code .1}). One instance per directory: a
 * second one, in this process or another, fails to start until the first is closed.
 *
 * <p>Connect to {@link #httpUrl()} as {@link #user()} with {@link #password()}. Requests without
 * {@link #user()}'s credentials are answered 403 without running ({@code /ping} excepted). The
 * password is random per instance and kept across {@link #restart()}; so is the port while it is
 * free, so clients usually survive a restart unchanged.
 *
 * <p>The child lives exactly as long as this handle holds its standard input: {@link #close()}
 * closes it, and so does the end of this JVM, however it ends. This class does not watch the child:
 * noticing that it died or stopped answering, and restarting it with backoff, is the caller's job.
 * Thread-safe.
 */
public final class EmbeddedClickHouse implements AutoCloseable {
  /** Where data goes when the caller names no directory: {@code ./data}. */
  public static final Path DEFAULT_DATA_DIR = Path.of("data");

  /** Generous: the first start after boot reads the 566 MB library from disk. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  static final String CLICKHOUSE_DIR = "clickhouse";
  static final String RUNTIME_DIR = "embedded";
  static final String LOG_FILE = "clickhouse.log";
  private static final int PORT_ATTEMPTS = 3;
  private static final FileAttribute<?> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path dataDir;
  private final Duration startupTimeout;
  private final EngineLimits limits;
  private final String password;
  private final @Nullable EmbeddedClusterNode clusterNode;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private @Nullable Path library;
  private @Nullable EmbeddedChild child;
  private @Nullable DataDirLock dataDirLock;
  private int port;
  private boolean closed;

  /** An embedded ClickHouse storing its data in {@code ./data}; call {@link #start()}. */
  public EmbeddedClickHouse() {
    this(DEFAULT_DATA_DIR);
  }

  /** An embedded ClickHouse storing its data in {@code dataDir}; call {@link #start()}. */
  public EmbeddedClickHouse(Path dataDir) {
    this(dataDir, null, DEFAULT_STARTUP_TIMEOUT);
  }

  /**
   * @param dataDir where data lives; created if missing
   * @param library {@code libchdb.so} to load, or null to {@link ChdbLibrary#locate()} it (and
   *     fetch it if need be) at the first start
   * @param startupTimeout how long a start may take until the engine answers
   */
  public EmbeddedClickHouse(Path dataDir, @Nullable Path library, Duration startupTimeout) {
    this(dataDir, library, startupTimeout, EngineLimits.defaults(), null);
  }

  /**
   * @param limits memory, time and concurrency of user {@link #user()}'s queries
   * @see #EmbeddedClickHouse(Path, Path, Duration)
   */
  public EmbeddedClickHouse(
      Path dataDir, @Nullable Path library, Duration startupTimeout, EngineLimits limits) {
    this(dataDir, library, startupTimeout, limits, null);
  }

  /**
   * As above, as one node of a cluster of embedded engines when {@code clusterNode} is not null: it
   * also listens on the node's TCP port, its config holds the node's {@code remote_servers}, and
   * {@link #password()} is the node's.
   */
  public EmbeddedClickHouse(
      Path dataDir,
      @Nullable Path library,
      Duration startupTimeout,
      EngineLimits limits,
      @Nullable EmbeddedClusterNode clusterNode) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.library = library;
    this.startupTimeout = startupTimeout;
    this.limits = limits;
    this.clusterNode = clusterNode;
    this.password = clusterNode != null ? clusterNode.password() : randomPassword();
  }

  /**
   * Starts the child and returns once it answers HTTP requests as {@link #user()}.
   *
   * @return this, for try-with-resources
   * @throws IllegalStateException if the child runs already, or this handle is closed
   * @throws EmbeddedClickHouseException if the library cannot be found or fetched, another instance
   *     holds the data directory, or the child dies or stays silent for the startup timeout; the
   *     message ends with the child's output
   */
  public synchronized EmbeddedClickHouse start() {
    checkOpen();
    if (child != null && child.isAlive()) {
      throw new IllegalStateException("the embedded ClickHouse runs already, as pid " + pid());
    }
    launch();
    return this;
  }

  /**
   * Stops the child if it still runs and starts a new one on the same data directory, with the same
   * password and, if it is still free, the same port. For recovery after {@link #isAlive()} turned
   * false or the engine stopped answering.
   *
   * @throws EmbeddedClickHouseException as {@link #start()}
   */
  public synchronized void restart() {
    checkOpen();
    if (child != null) {
      child.stop();
    }
    launch();
  }

  /** Whether the child process is running; not whether it answers. */
  public synchronized boolean isAlive() {
    return child != null && child.isAlive();
  }

  /**
   * The process id of the current child, or of the last one if it died.
   *
   * @throws IllegalStateException before the first start
   */
  public synchronized long pid() {
    if (child == null) {
      throw new IllegalStateException("the embedded ClickHouse has not been started");
    }
    return child.pid();
  }

  /**
   * The base URL of ClickHouse's HTTP interface, {@code http://127.0.0.1:<port>}; the port may
   * change on {@link #restart()}.
   *
   * @throws IllegalStateException before a successful start
   */
  public synchronized URI httpUrl() {
    if (port == 0) {
      throw new IllegalStateException("the embedded ClickHouse has not been started");
    }
    return URI.create("http://" + LoopbackPorts.HOST + ":" + port);
  }

  /** The ClickHouse user with full access. */
  public String user() {
    return EmbeddedConfigFiles.USER;
  }

  /** The password of {@link #user()}: random per instance, never written to disk. */
  public String password() {
    return password;
  }

  /** The data directory, absolute. */
  public Path dataDir() {
    return dataDir;
  }

  /** The child's standard output and error: ClickHouse's warnings and errors, JVM messages. */
  public Path logFile() {
    return dataDir.resolve(RUNTIME_DIR).resolve(LOG_FILE);
  }

  /**
   * Stops the child: closes its standard input, which makes it halt at once, and kills it if it is
   * still there after a few seconds; then releases the data directory. Inserts that completed are
   * on disk by then. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (child != null) {
      child.stop();
    }
    http.close();
    if (dataDirLock != null) {
      try {
        dataDirLock.close();
      } catch (IOException e) {
        // The lock goes with this process anyway.
      }
    }
  }

  private void launch() {
    Path lib = library != null ? library : ChdbLibrary.locate();
    library = lib;
    Path runtimeDir = dataDir.resolve(RUNTIME_DIR);
    Path clickhouseDir = dataDir.resolve(CLICKHOUSE_DIR);
    Path config;
    try {
      Files.createDirectories(dataDir, OWNER_ONLY);
      // Profiles, and the engine's files, are the owner's alone (the child runs with umask 077).
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
      Files.createDirectories(clickhouseDir, OWNER_ONLY);
      Files.createDirectories(runtimeDir, OWNER_ONLY);
      if (dataDirLock == null) {
        dataDirLock = DataDirLock.acquire(runtimeDir, dataDir);
      }
      config =
          EmbeddedConfigFiles.write(
              runtimeDir, password, limits, clusterNode == null ? "" : clusterNode.config());
    } catch (IOException e) {
      throw new EmbeddedClickHouseException(
          "cannot prepare the embedded ClickHouse's data directory " + dataDir + ": " + e, e);
    }
    int preferred = port;
    port = 0; // Until this start succeeds; a failed start must not pin the next to this port.
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      int candidate =
          attempt == 1 && preferred != 0 && LoopbackPorts.isFree(preferred)
              ? preferred
              : LoopbackPorts.free();
      EmbeddedChild started =
          EmbeddedChild.spawn(
              ChildCommand.of(
                  lib,
                  config,
                  clickhouseDir,
                  candidate,
                  clusterNode == null ? 0 : clusterNode.tcpPort(),
                  runtimeDir),
              candidate,
              logFile());
      child = started;
      if (started.awaitReady(http, user(), password, startupTimeout)) {
        port = candidate;
        return;
      }
    }
    throw new EmbeddedClickHouseException(
        "the embedded ClickHouse found its port taken "
            + PORT_ATTEMPTS
            + " times in a row; "
            + LogTail.of(logFile()));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this EmbeddedClickHouse is closed");
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
