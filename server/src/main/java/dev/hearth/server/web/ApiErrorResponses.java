package dev.hearth.server.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** {@link ApiError}s as HTTP responses: the status, {@code Retry-After} and the one JSON body. */
public final class ApiErrorResponses {
  private ApiErrorResponses() {}

  /** For Hearth's own HTTP APIs (REST, ingest), with {@link ApiError.Kind#httpStatus()}. */
  public static ResponseEntity<byte[]> entity(ApiError error) {
    ResponseEntity.BodyBuilder b =
        ResponseEntity.status(error.kind().httpStatus()).contentType(MediaType.APPLICATION_JSON);
    if (error.retryAfterSeconds() > 0) {
      b.header(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
    }
    return b.body(error.json());
  }

  /**
   * For a web filter, before any route: the status {@link ApiError.Kind#httpStatus()} (which is
   * also the Connect status for the kinds a filter refuses with) and the one JSON body.
   */
  public static Mono<Void> write(ServerHttpResponse response, ApiError error) {
    response.setStatusCode(HttpStatus.valueOf(error.kind().httpStatus()));
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    if (error.retryAfterSeconds() > 0) {
      response
          .getHeaders()
          .set(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
    }
    return response.writeWith(Mono.just(response.bufferFactory().wrap(error.json())));
  }

  /** For a functional route of Hearth's own HTTP APIs. */
  public static Mono<ServerResponse> http(ApiError error) {
    return builder(error, error.kind().httpStatus())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(error.json());
  }

  /** For a Connect route: the status the Connect protocol prescribes for the code. */
  public static Mono<ServerResponse> connect(ApiError error) {
    return builder(error, error.kind().connectHttpStatus())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(error.json());
  }

  /** A response builder with the status and {@code Retry-After}; the caller adds the body. */
  public static ServerResponse.BodyBuilder builder(ApiError error, int status) {
    ServerResponse.BodyBuilder b = ServerResponse.status(HttpStatus.valueOf(status));
    if (error.retryAfterSeconds() > 0) {
      b.header(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
    }
    return b;
  }
}
