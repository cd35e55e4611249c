package dev.hearth.server.ingest;

import dev.hearth.ingest.IngestCore;
import dev.hearth.ingest.IngestRequest;
import dev.hearth.server.security.Tenants;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The one HTTP ingest frame every {@link HttpIngestFormat} runs in: resolve the tenant, let the
 * format check the request, read the body under the in-flight budget and the size limits ({@link
 * HttpBodies}), hand the format's payloads to the core and answer only once they are stored, with
 * errors mapped once by {@link IngestErrors}.
 */
final class HttpIngestHandler {
  private final IngestCore core;
  private final HttpIngestFormat format;

  HttpIngestHandler(IngestCore core, HttpIngestFormat format) {
    this.core = core;
    this.format = format;
  }

  Mono<ServerResponse> handle(ServerRequest request) {
    String tenant = Tenants.of(request.exchange());
    String transport = format.transport();
    HttpIngestFormat.Exchange exchange;
    try {
      exchange = format.open(request);
    } catch (RuntimeException e) {
      return format.error(request, IngestErrors.of(e, transport, tenant));
    }
    return HttpBodies.read(
            request,
            core,
            transport,
            tenant,
            body ->
                core.ingest(
                    new IngestRequest(
                        tenant,
                        transport,
                        exchange.payloads(body.bytes()),
                        format.partialSuccess()),
                    body.permit()))
        .flatMap(exchange::ok)
        .onErrorResume(e -> format.error(request, IngestErrors.of(e, transport, tenant)));
  }
}
