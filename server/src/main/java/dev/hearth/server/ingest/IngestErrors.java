package dev.hearth.server.ingest;

import dev.hearth.server.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ingest failure as the HTTP ingest transports answer it: the classification of {@link ApiError}
 * (one vocabulary for every API), with the ingest-only case of a client that went away.
 *
 * @param error the classified failure
 */
record IngestErrors(ApiError error) {
  private static final Logger log = LoggerFactory.getLogger(IngestErrors.class);

  static IngestErrors of(Throwable e, String transport, String tenant) {
    if (e instanceof reactor.netty.channel.AbortedException) {
      // The client went away mid-request; there is nobody to answer.
      log.debug("ingest request aborted by the client ({}, tenant {})", transport, tenant);
      return new IngestErrors(
          new ApiError(
              ApiError.Kind.INVALID,
              "client_aborted",
              "the connection was closed",
              null,
              -1,
              null,
              0));
    }
    return new IngestErrors(ApiError.of(e, "ingest " + transport + ", tenant " + tenant));
  }

  int status() {
    return error.kind().httpStatus();
  }

  String reason() {
    return error.reason();
  }

  String message() {
    return error.message();
  }

  int retryAfterSeconds() {
    return error.retryAfterSeconds();
  }

  /** The one error body ({@link ApiError#json()}). */
  String json() {
    return new String(error.json(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The gRPC status code, for OTLP/HTTP's {@code google.rpc.Status} bodies. */
  int grpcCode() {
    return error.kind().grpcCode().value();
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
