package dev.hearth.server.security;

import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Resolves the tenant of every HTTP request except {@code /health} and {@code /metrics} (which
 * operators' probes call without credentials) and the UI's static files, and answers 401 when there
 * is none. Handlers read it with {@link Tenants#of(ServerWebExchange)}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class TenantWebFilter implements WebFilter {
  private final TenantResolver resolver;

  public TenantWebFilter(TenantResolver resolver) {
    this.resolver = resolver;
  }

  static boolean isOpen(String path) {
    return path.equals("/health")
        || path.startsWith("/health/")
        || path.equals("/metrics")
        || !(path.startsWith("/api/")
            || path.startsWith("/ingest")
            || path.startsWith("/v1development/")
            || path.startsWith("/push.v1.")
            || path.startsWith("/querier.v1.")
            || path.startsWith("/hearth.query.v1.")
            || path.startsWith("/pyroscope/"));
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    if (isOpen(path)) {
      return chain.filter(exchange);
    }
    HttpHeaders headers = exchange.getRequest().getHeaders();
    TenantResolver.Result result =
        resolver.resolve(
            headers.getFirst(HttpHeaders.AUTHORIZATION),
            headers.getFirst(TenantResolver.ORG_ID_HEADER));
    return switch (result) {
      case TenantResolver.Tenant t -> {
        exchange.getAttributes().put(Tenants.ATTRIBUTE, t.id());
        yield chain.filter(exchange);
      }
      case TenantResolver.Refused r -> {
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hearth\"");
        byte[] body =
            ("{\"error\":\"unauthenticated\",\"message\":\""
                    + r.reason().replace("\"", "'")
                    + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        yield response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
      }
    };
  }
}
