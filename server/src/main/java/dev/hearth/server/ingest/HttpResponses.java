package dev.hearth.server.ingest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** Error responses of the HTTP ingest transports. */
final class HttpResponses {
  private HttpResponses() {}

  /** {@code {"error": …, "message": …}} with the status and retry hint. */
  static Mono<ServerResponse> json(IngestErrors error) {
    return builder(error).contentType(MediaType.APPLICATION_JSON).bodyValue(error.json());
  }

  static ServerResponse.BodyBuilder builder(IngestErrors error) {
    ServerResponse.BodyBuilder b = ServerResponse.status(HttpStatus.valueOf(error.status()));
    if (error.retryAfterSeconds() > 0) {
      b.header(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
    }
    return b;
  }
}
