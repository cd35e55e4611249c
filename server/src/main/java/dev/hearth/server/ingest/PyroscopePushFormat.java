package dev.hearth.server.ingest;

import dev.hearth.ingest.IngestException;
import dev.hearth.ingest.IngestResult;
import dev.hearth.ingest.Payload;
import dev.hearth.ingest.pyroscope.PyroscopePush;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Pyroscope's {@code push.v1.PusherService/Push} over the Connect protocol (unary POST, {@code
 * application/proto} or {@code application/json}, optional {@code Content-Encoding: gzip}), as
 * Grafana Alloy's {@code pyroscope.write} and the Python SDK send it (payloads: {@link
 * PyroscopePush}). Errors follow Connect: {@code {"code": "invalid_argument", "message": …}}.
 */
@Component
final class PyroscopePushFormat implements HttpIngestFormat {
  static final String TRANSPORT = "pyroscope_push";
  static final MediaType PROTO = MediaType.parseMediaType("application/proto");

  @Override
  public String path() {
    return "/push.v1.PusherService/Push";
  }

  @Override
  public String transport() {
    return TRANSPORT;
  }

  @Override
  public Exchange open(ServerRequest request) {
    MediaType type = request.headers().contentType().orElse(null);
    boolean json = isJson(type);
    if (!json && !(type != null && PROTO.isCompatibleWith(type))) {
      throw IngestException.unsupported(
          "Content-Type must be application/proto or application/json, not " + type);
    }
    return new Exchange() {
      @Override
      public List<Payload> payloads(byte[] body) {
        return PyroscopePush.payloads(body, json);
      }

      @Override
      public Mono<ServerResponse> ok(IngestResult result) {
        return json
            ? ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
            : ServerResponse.ok().contentType(PROTO).bodyValue(new byte[0]);
      }
    };
  }

  private static boolean isJson(@Nullable MediaType type) {
    return type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type);
  }

  @Override
  public Mono<ServerResponse> error(ServerRequest request, IngestErrors error) {
    return dev.hearth.server.web.ApiErrorResponses.connect(error.error());
  }
}
