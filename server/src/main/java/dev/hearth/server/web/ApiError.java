package dev.hearth.server.web;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import dev.hearth.ingest.InFlightBytes;
import dev.hearth.ingest.IngestException;
import dev.hearth.query.InvalidQueryException;
import dev.hearth.query.QueryLimitException;
import dev.hearth.query.json.JsonWriter;
import dev.hearth.storage.StorageException;
import dev.hearth.storage.StorageLimitException;
import dev.hearth.storage.StorageUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.Exceptions;

/**
 * Hearth's one error vocabulary: every failure of every API (query and ingest, REST, gRPC and
 * Connect) is classified here once into a {@link Kind}, which fixes the HTTP status, the gRPC
 * status and the Connect code, and written by the one JSON writer {@link #json()}. Bad input names
 * its field; overload and unavailable storage carry {@code Retry-After}; internal failures are
 * logged once and their body says nothing internal.
 *
 * @param kind what went wrong
 * @param reason a short tag ({@code invalid query}, {@code storage_full}, …) for bodies and metrics
 * @param message what to tell the client
 * @param parameter the request field at fault, or null
 * @param column 1-based column of the offending character in {@code parameter}, or -1
 * @param limit the configuration key of a limit that was hit, or null
 * @param retryAfterSeconds the {@code Retry-After} to send, or 0
 */
public record ApiError(
    Kind kind,
    String reason,
    String message,
    @Nullable String parameter,
    int column,
    @Nullable String limit,
    int retryAfterSeconds) {
  private static final Logger log = LoggerFactory.getLogger(ApiError.class);

  /** The classes of failure and their status on each protocol. */
  public enum Kind {
    /** Malformed or missing input: the message names the field. */
    INVALID(400, Status.Code.INVALID_ARGUMENT, "invalid_argument"),
    /** No or a wrong token. */
    UNAUTHENTICATED(401, Status.Code.UNAUTHENTICATED, "unauthenticated"),
    /** A body over a size limit. */
    TOO_LARGE(413, Status.Code.RESOURCE_EXHAUSTED, "resource_exhausted"),
    /** A content type or format the endpoint does not read. */
    UNSUPPORTED_MEDIA_TYPE(415, Status.Code.INVALID_ARGUMENT, "invalid_argument"),
    /** A query that would do more work than the configured limits allow: narrow it. */
    QUERY_TOO_LARGE(422, Status.Code.RESOURCE_EXHAUSTED, "resource_exhausted"),
    /** Too much in flight: retry after {@code Retry-After}. */
    OVERLOADED(429, Status.Code.RESOURCE_EXHAUSTED, "resource_exhausted"),
    /** An operation or option Hearth does not offer. */
    UNIMPLEMENTED(501, Status.Code.UNIMPLEMENTED, "unimplemented"),
    /** Storage down, full, read-only or merging behind: retry after {@code Retry-After}. */
    UNAVAILABLE(503, Status.Code.UNAVAILABLE, "unavailable"),
    /** Anything else: logged once, nothing internal in the body. */
    INTERNAL(500, Status.Code.INTERNAL, "internal");

    private final int httpStatus;
    private final Status.Code grpcCode;
    private final String connectCode;

    Kind(int httpStatus, Status.Code grpcCode, String connectCode) {
      this.httpStatus = httpStatus;
      this.grpcCode = grpcCode;
      this.connectCode = connectCode;
    }

    /** The status of Hearth's own HTTP APIs (REST, {@code /ingest}, OTLP/HTTP). */
    public int httpStatus() {
      return httpStatus;
    }

    public Status.Code grpcCode() {
      return grpcCode;
    }

    /** The Connect protocol's error code. */
    public String connectCode() {
      return connectCode;
    }

    /**
     * The HTTP status the Connect protocol prescribes for {@link #connectCode()}; an unsupported
     * {@code Content-Type} is 415, as the protocol asks.
     */
    public int connectHttpStatus() {
      if (this == UNSUPPORTED_MEDIA_TYPE) {
        return 415;
      }
      return switch (connectCode) {
        case "invalid_argument" -> 400;
        case "unauthenticated" -> 401;
        case "resource_exhausted" -> 429;
        case "unimplemented" -> 501;
        case "unavailable" -> 503;
        default -> 500;
      };
    }
  }

  static ApiError of(Kind kind, String reason, String message) {
    return new ApiError(kind, reason, message, null, -1, null, 0);
  }

  /** An {@link Kind#UNAUTHENTICATED} error: no token, a wrong one, or no tenant. */
  public static ApiError unauthenticated(String message) {
    return of(Kind.UNAUTHENTICATED, "unauthenticated", message);
  }

  /** An {@link Kind#INVALID} error naming {@code parameter}. */
  public static ApiError invalid(String parameter, String message) {
    return new ApiError(Kind.INVALID, "invalid_argument", message, parameter, -1, null, 0);
  }

  /**
   * Classifies a failure. Internal failures are logged here, once, with {@code context} (the
   * transport, operation and tenant; never a payload).
   */
  public static ApiError of(Throwable failure, String context) {
    Throwable e = Exceptions.unwrap(failure);
    return switch (e) {
      case InvalidQueryException q ->
          new ApiError(
              Kind.INVALID,
              "invalid query",
              String.valueOf(q.getMessage()),
              q.parameter(),
              q.column(),
              null,
              0);
      case QueryLimitException q ->
          new ApiError(
              Kind.QUERY_TOO_LARGE,
              "query too large",
              String.valueOf(q.getMessage()),
              null,
              -1,
              q.limit(),
              0);
      case IngestException ie ->
          new ApiError(
              switch (ie.kind()) {
                case INVALID -> Kind.INVALID;
                case TOO_LARGE -> Kind.TOO_LARGE;
                case UNSUPPORTED_MEDIA_TYPE -> Kind.UNSUPPORTED_MEDIA_TYPE;
                case OVERLOADED -> Kind.OVERLOADED;
              },
              ie.reason(),
              String.valueOf(ie.getMessage()),
              null,
              -1,
              null,
              ie.kind() == IngestException.Kind.OVERLOADED ? InFlightBytes.RETRY_AFTER_SECONDS : 0);
      case StorageUnavailableException su ->
          new ApiError(
              Kind.UNAVAILABLE,
              su.reason().tag(),
              switch (su.reason()) {
                case UNREACHABLE -> "storage unavailable: the database does not answer";
                case DISK_FULL -> "storage unavailable: the database's disk is full";
                case READ_ONLY -> "storage unavailable: the database is read-only";
                case TOO_MANY_PARTS -> "storage unavailable: the database is behind on merges";
                case OVERLOADED -> "storage unavailable: the database is overloaded";
              },
              null,
              -1,
              null,
              su.retryAfterSeconds());
      case StorageLimitException sl ->
          new ApiError(
              Kind.QUERY_TOO_LARGE,
              "query too large",
              String.valueOf(sl.getMessage()),
              null,
              -1,
              "hearth.query.max-rows-to-read",
              0);
      case ResponseStatusException rs when rs.getStatusCode().value() == 401 ->
          of(Kind.UNAUTHENTICATED, "unauthenticated", String.valueOf(rs.getReason()));
      case ResponseStatusException rs when rs.getStatusCode().value() == 413 ->
          of(Kind.TOO_LARGE, "too_large", String.valueOf(rs.getReason()));
      case ResponseStatusException rs when rs.getStatusCode().value() == 415 ->
          of(Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", String.valueOf(rs.getReason()));
      case ResponseStatusException rs when rs.getStatusCode().is4xxClientError() ->
          of(Kind.INVALID, "invalid_argument", String.valueOf(rs.getReason()));
      case StorageException se -> {
        log.error("storage failure ({}): {}", context, se.getMessage());
        yield of(Kind.INTERNAL, "storage_failure", "storage failure");
      }
      default -> {
        log.error("request failed ({})", context, e);
        yield of(Kind.INTERNAL, "internal", "internal error");
      }
    };
  }

  /**
   * The one error body, for REST and Connect alike: {@code {"code": <connect code>, "error":
   * reason, "message": …}} plus {@code parameter}, {@code column} and {@code limit} where known.
   * Connect clients read {@code code} and {@code message} and ignore the rest.
   */
  public byte[] json() {
    JsonWriter w =
        new JsonWriter()
            .beginObject()
            .field("code", kind.connectCode())
            .field("error", reason)
            .field("message", message);
    if (parameter != null) {
      w.field("parameter", parameter);
    }
    if (column > 0) {
      w.field("column", column);
    }
    if (limit != null) {
      w.field("limit", limit);
    }
    return w.endObject().toBytes();
  }

  /** The gRPC status; retryable failures carry a {@code RetryInfo} detail. */
  public StatusRuntimeException grpc() {
    if (retryAfterSeconds <= 0) {
      return Status.fromCode(kind.grpcCode()).withDescription(message).asRuntimeException();
    }
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(kind.grpcCode().value())
            .setMessage(message)
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(Duration.newBuilder().setSeconds(retryAfterSeconds))
                        .build()))
            .build());
  }
}
