package dev.hearth.server.ingest;

import dev.hearth.ingest.pyroscope.PyroscopeIngest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Pyroscope's {@code POST /ingest} (folded, pprof, JFR; the format chosen as Pyroscope chooses it,
 * see {@link PyroscopeIngest}). Answers 200 with an empty body once stored; any refused profile
 * refuses the whole upload, with {@code {"error", "message"}}.
 */
@Component
final class PyroscopeIngestFormat implements HttpIngestFormat {
  static final String TRANSPORT = "pyroscope_ingest";

  @Override
  public String path() {
    return "/ingest";
  }

  @Override
  public String transport() {
    return TRANSPORT;
  }

  @Override
  public Exchange open(ServerRequest request) {
    String contentType = request.headers().firstHeader(HttpHeaders.CONTENT_TYPE);
    return new Exchange() {
      @Override
      public List<dev.hearth.ingest.Payload> payloads(byte[] body) {
        return List.of(
            PyroscopeIngest.payload(
                name -> request.queryParam(name).orElse(null), contentType, body));
      }

      @Override
      public Mono<ServerResponse> ok(dev.hearth.ingest.IngestResult result) {
        return ServerResponse.ok().build();
      }
    };
  }

  @Override
  public Mono<ServerResponse> error(ServerRequest request, IngestErrors error) {
    return HttpResponses.json(error);
  }
}
