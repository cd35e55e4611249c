package dev.hearth.server.ingest;

import dev.hearth.ingest.IngestResult;
import dev.hearth.ingest.Payload;
import java.util.List;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * One client wire format over HTTP: what a new client format implements, in one file annotated
 * {@code @Component}. {@link HttpIngestHandler} does the rest the same way for every format:
 * tenant, in-flight permit, body limits and gzip, the ingest core, acknowledge after write, error
 * mapping and metrics tagged with {@link #transport()}.
 */
interface HttpIngestFormat {

  /** The route it is served on ({@code POST} only; other methods get 405). */
  String path();

  /** Metric tag ({@code pyroscope_ingest}, {@code otlp_http}, …). */
  String transport();

  /**
   * Whether valid profiles are stored when others in the same request are refused (reported in
   * {@link Exchange#ok}); when false, one refusal refuses the whole request.
   */
  default boolean partialSuccess() {
    return false;
  }

  /**
   * Starts one request: checks what can be checked before its body is read (content type,
   * parameters) and throws an {@link dev.hearth.ingest.IngestException} to refuse it.
   */
  Exchange open(ServerRequest request);

  /** The error answer in this format's encoding (status and retry hint from {@code error}). */
  Mono<ServerResponse> error(ServerRequest request, IngestErrors error);

  /** One request being handled. */
  interface Exchange {
    /** The payloads of the body (already within the size limits and gunzipped per header). */
    List<Payload> payloads(byte[] body);

    /** The answer once everything is stored. */
    Mono<ServerResponse> ok(IngestResult result);
  }
}
