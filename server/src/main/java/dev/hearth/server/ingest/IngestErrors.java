package dev.hearth.server.ingest;

import dev.hearth.ingest.InFlightBytes;
import dev.hearth.ingest.IngestException;
import dev.hearth.storage.StorageException;
import dev.hearth.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps ingest outcomes to statuses once for every HTTP transport: refusals keep the core's status
 * (400, 413, 415, 429 with a retry hint), an unreachable ClickHouse is 503 with a retry hint,
 * anything else 500 with one log line (ids, never payloads).
 *
 * @param status the HTTP status
 * @param reason a short tag ({@code decode}, {@code samples_per_profile}, …)
 * @param message what to tell the client
 * @param retryAfterSeconds the {@code Retry-After} to send, or 0
 */
record IngestErrors(int status, String reason, String message, int retryAfterSeconds) {
  private static final Logger log = LoggerFactory.getLogger(IngestErrors.class);

  static IngestErrors of(Throwable e, String transport, String tenant) {
    return switch (e) {
      case IngestException ie ->
          new IngestErrors(
              ie.kind().httpStatus(),
              ie.reason(),
              String.valueOf(ie.getMessage()),
              ie.kind() == IngestException.Kind.OVERLOADED ? InFlightBytes.RETRY_AFTER_SECONDS : 0);
      case StorageUnavailableException su ->
          new IngestErrors(
              503, "storage_unavailable", "storage unavailable: " + su.getMessage(), 5);
      case reactor.netty.channel.AbortedException ae -> {
        // The client went away mid-request; there is nobody to answer.
        log.debug("ingest request aborted by the client ({}, tenant {})", transport, tenant);
        yield new IngestErrors(400, "client_aborted", "the connection was closed", 0);
      }
      case StorageException se -> {
        log.error("ingest write failed ({}, tenant {}): {}", transport, tenant, se.getMessage());
        yield new IngestErrors(500, "storage_failure", "storage failure", 0);
      }
      default -> {
        log.error("ingest failed ({}, tenant {})", transport, tenant, e);
        yield new IngestErrors(500, "internal", "internal error", 0);
      }
    };
  }

  /** {@code {"error": reason, "message": …}}. */
  String json() {
    return "{\"error\":" + quote(reason) + ",\"message\":" + quote(message) + "}";
  }

  /** The Connect protocol's code for this status. */
  String connectCode() {
    return switch (status) {
      case 400, 415 -> "invalid_argument";
      case 413, 429 -> "resource_exhausted";
      case 401 -> "unauthenticated";
      case 503 -> "unavailable";
      default -> "internal";
    };
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
