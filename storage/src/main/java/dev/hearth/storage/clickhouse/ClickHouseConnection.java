package dev.hearth.storage.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.DataStreamWriter;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.hearth.storage.StorageException;
import dev.hearth.storage.StorageLimitException;
import dev.hearth.storage.StorageUnavailableException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One ClickHouse client (client-v2 over HTTP) that can be pointed at a new endpoint, as when an
 * embedded engine restarts on another port. Every call maps failures once ({@link
 * #translate(String, Throwable)}): the row limit → {@link StorageLimitException}; unreachable, disk
 * full, read-only, too many parts, out of memory or too many queries → {@link
 * StorageUnavailableException} with its {@link StorageUnavailableException.Reason}; anything else →
 * {@link StorageException}. The message names the operation, never the data.
 */
public final class ClickHouseConnection implements AutoCloseable {
  /** ClickHouse's error code when {@code max_rows_to_read} is exceeded. */
  private static final int TOO_MANY_ROWS = 158;

  /**
   * Server error codes that mean another node is out of reach: a shard a Distributed table needs
   * (SOCKET_TIMEOUT, NETWORK_ERROR, ALL_CONNECTION_TRIES_FAILED), or Keeper (NO_ZOOKEEPER,
   * UNKNOWN_STATUS_OF_INSERT, KEEPER_EXCEPTION); TABLE_IS_READ_ONLY is in {@link #PASSING_ERRORS}.
   */
  private static final java.util.Set<Integer> PEER_UNREACHABLE =
      java.util.Set.of(209, 210, 225, 279, 319, 999);

  /**
   * ClickHouse's error codes (its {@code ErrorCodes.cpp}; {@code errorCodeToName(n)} names them)
   * for conditions that pass, and why storage is unavailable while they last.
   */
  static final Map<Integer, StorageUnavailableException.Reason> PASSING_ERRORS =
      Map.of(
          164, StorageUnavailableException.Reason.READ_ONLY, // READONLY
          242, StorageUnavailableException.Reason.READ_ONLY, // TABLE_IS_READ_ONLY
          243, StorageUnavailableException.Reason.DISK_FULL, // NOT_ENOUGH_SPACE
          252, StorageUnavailableException.Reason.TOO_MANY_PARTS, // TOO_MANY_PARTS
          241, StorageUnavailableException.Reason.OVERLOADED, // MEMORY_LIMIT_EXCEEDED
          202, StorageUnavailableException.Reason.OVERLOADED); // TOO_MANY_SIMULTANEOUS_QUERIES

  private final ClickHouseSettings settings;
  private final AtomicReference<Client> client = new AtomicReference<>();
  private volatile ClickHouseEndpoint endpoint;

  public ClickHouseConnection(ClickHouseEndpoint endpoint, ClickHouseSettings settings) {
    this.settings = settings;
    this.endpoint = endpoint;
    client.set(build(endpoint, settings.database()));
  }

  private Client build(ClickHouseEndpoint to, @Nullable String database) {
    Client.Builder b =
        new Client.Builder()
            .addEndpoint(to.url())
            .setUsername(to.user())
            .setPassword(to.password())
            .setMaxRetries(0)
            .setConnectTimeout(5, ChronoUnit.SECONDS)
            .setSocketTimeout(settings.queryTimeout().toMillis(), ChronoUnit.MILLIS)
            .setExecutionTimeout(settings.queryTimeout().toMillis(), ChronoUnit.MILLIS)
            .compressClientRequest(true)
            .serverSetting("date_time_input_format", "best_effort");
    if (settings.cluster().enabled()) {
      // Reads go through Distributed tables; a subquery on another Distributed table (the series
      // filter, the gauge join) runs on each shard over its local table, which is right because
      // series, samples and rollups are all sharded by series_id. Inserts return once every shard
      // has its rows, so an acknowledgement means stored, and a shard that is down fails the write.
      b.serverSetting("distributed_product_mode", "local");
      b.serverSetting("distributed_foreground_insert", "1");
    }
    if (database != null) {
      b.setDefaultDatabase(database);
    }
    return b.build();
  }

  /** Points the client at a new endpoint (same database); in-flight calls on the old one fail. */
  public void reconnect(ClickHouseEndpoint to) {
    this.endpoint = to;
    Client old = client.getAndSet(build(to, settings.database()));
    old.close();
  }

  public ClickHouseEndpoint endpoint() {
    return endpoint;
  }

  public ClickHouseSettings settings() {
    return settings;
  }

  /**
   * Creates the database, using a client without a default database (it may not exist yet).
   *
   * @param onCluster a cluster to create it on with {@code ON CLUSTER} (needs Keeper), or null
   */
  void createDatabase(@Nullable String onCluster) {
    try (Client bootstrap = build(endpoint, null)) {
      bootstrap
          .execute(
              "CREATE DATABASE IF NOT EXISTS "
                  + settings.database()
                  + (onCluster == null ? "" : " ON CLUSTER '" + onCluster + "'"))
          .get(settings.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .close();
    } catch (Exception e) {
      throw translate("create database " + settings.database(), e);
    }
  }

  /**
   * The number in the first column of the first row of {@code sql}, run without a default database
   * (which may not exist yet).
   */
  long scalarWithoutDatabase(String what, String sql) {
    try (Client bootstrap = build(endpoint, null)) {
      List<GenericRecord> rows = bootstrap.queryAll(sql, Map.of(), new QuerySettings());
      return rows.isEmpty() ? 0 : rows.getFirst().getLong(1);
    } catch (Exception e) {
      throw translate(what, e);
    }
  }

  /**
   * Runs a query and returns all its rows; for small results only. A read that would scan more than
   * {@link ClickHouseSettings#maxRowsToRead()} rows fails with {@link StorageLimitException}.
   */
  public Mono<List<GenericRecord>> query(String what, String sql, Map<String, Object> params) {
    QuerySettings querySettings = new QuerySettings().setDatabase(settings.database());
    if (settings.maxRowsToRead() > 0) {
      querySettings.serverSetting("max_rows_to_read", Long.toString(settings.maxRowsToRead()));
    }
    return Mono.fromCallable(() -> client.get().queryAll(sql, params, querySettings))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(e -> !(e instanceof StorageException), e -> translate(what, e));
  }

  /** Reads a query's rows from a {@link RowBinaryReader}. */
  @FunctionalInterface
  interface BinaryRows<T> {
    T read(RowBinaryReader rows) throws java.io.IOException;
  }

  /**
   * Runs a query and reads its rows from the response stream as {@code RowBinaryWithNamesAndTypes}
   * ({@link RowBinaryReader}), without a record per row: for large results. Limits and failures as
   * in {@link #query}.
   */
  <T> Mono<T> queryBinary(String what, String sql, Map<String, Object> params, BinaryRows<T> read) {
    QuerySettings querySettings =
        new QuerySettings()
            .setDatabase(settings.database())
            .setFormat(ClickHouseFormat.RowBinaryWithNamesAndTypes);
    if (settings.maxRowsToRead() > 0) {
      querySettings.serverSetting("max_rows_to_read", Long.toString(settings.maxRowsToRead()));
    }
    return Mono.fromCallable(
            () -> {
              try (QueryResponse response =
                  client
                      .get()
                      .query(sql, params, querySettings)
                      .get(settings.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return read.read(new RowBinaryReader(response.getInputStream()));
              }
            })
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(e -> !(e instanceof StorageException), e -> translate(what, e));
  }

  /** Runs a statement that returns nothing. */
  public Mono<Void> execute(String what, String sql) {
    return Mono.fromFuture(() -> client.get().execute(sql))
        .doOnNext(ClickHouseConnection::closeQuietly)
        .then()
        .onErrorMap(e -> !(e instanceof StorageException), e -> translate(what, e));
  }

  /**
   * Inserts rows that {@code rows} writes in RowBinary for the given columns. client-v2 runs an
   * insert in the thread that calls it (its future is complete on return), so it is called on the
   * bounded-elastic pool: inserts subscribed together run together, and no caller's thread (an
   * ingest decode thread, an event loop) is held for the round trip.
   */
  public Mono<Void> insertRowBinary(String table, List<String> columns, DataStreamWriter rows) {
    return Mono.fromFuture(
            () ->
                client
                    .get()
                    .insert(table, columns, rows, ClickHouseFormat.RowBinary, new InsertSettings()))
        .subscribeOn(Schedulers.boundedElastic())
        .doOnNext(ClickHouseConnection::closeQuietly)
        .then()
        .onErrorMap(
            e -> !(e instanceof StorageException), e -> translate("insert into " + table, e));
  }

  /** Maps a failure of {@code what} to the storage SPI's exceptions. */
  StorageException translate(String what, Throwable e) {
    Throwable cause = unwrap(e);
    if (isTooManyRows(cause)) {
      return new StorageLimitException(
          "ClickHouse stopped "
              + what
              + ": it would read more than "
              + settings.maxRowsToRead()
              + " rows",
          cause);
    }
    if (isUnreachable(cause)) {
      return new StorageUnavailableException(
          "ClickHouse at " + endpoint.url() + " is unreachable during " + what + ": " + cause,
          cause);
    }
    StorageUnavailableException.Reason passing = passingReason(cause);
    if (passing != null) {
      return new StorageUnavailableException(
          passing,
          "ClickHouse cannot serve " + what + " now (" + passing.tag() + "): " + cause.getMessage(),
          cause);
    }
    return new StorageException(
        "ClickHouse failed during " + what + ": " + cause.getMessage(), cause);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Why a failure passes with time, or null when it does not: a passing ClickHouse error code, or
   * the operating system's "no space left" / "read-only file system" in a message (ClickHouse
   * reports write failures under several codes).
   */
  static StorageUnavailableException.@Nullable Reason passingReason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ServerException se) {
        StorageUnavailableException.Reason r = PASSING_ERRORS.get(se.getCode());
        if (r != null) {
          return r;
        }
      }
      String m = t.getMessage();
      if (m != null) {
        if (m.contains("No space left on device") || m.contains("NOT_ENOUGH_SPACE")) {
          return StorageUnavailableException.Reason.DISK_FULL;
        }
        if (m.contains("Read-only file system")) {
          return StorageUnavailableException.Reason.READ_ONLY;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static boolean isTooManyRows(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof ServerException se && se.getCode() == TOO_MANY_ROWS) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ServerException se && PEER_UNREACHABLE.contains(se.getCode())) {
        return true;
      }
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException
          || t instanceof HttpTimeoutException
          || t instanceof java.util.concurrent.TimeoutException
          || (t instanceof SocketException && !(t instanceof java.net.BindException))
          || t.getClass().getName().equals("org.apache.hc.core5.http.NoHttpResponseException")
          || t.getClass().getName().endsWith("ConnectionInitiationException")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static void closeQuietly(AutoCloseable response) {
    try {
      response.close();
    } catch (Exception e) {
      // A response whose body was fully read has nothing left to release.
    }
  }

  @Override
  public void close() {
    client.get().close();
  }
}
