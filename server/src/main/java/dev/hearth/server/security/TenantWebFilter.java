package dev.hearth.server.security;

import dev.hearth.server.config.AuthProperties;
import dev.hearth.server.web.ApiError;
import dev.hearth.server.web.ApiErrorResponses;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Resolves the tenant of every HTTP request and answers 401 when there is none; closed by default.
 * The decision is made on the decoded, normalised path ({@link RequestPaths}), so {@code
 * /%61pi/v1/...} or {@code /api;x=1/v1/...} are the API like {@code /api/v1/...}; a path that does
 * not normalise (encoded slashes, dot segments, bad escapes) is refused with 400. Both refusals
 * carry the one {@link ApiError} body (so a Connect client reads {@code code}). Open without
 * credentials: {@code /health} (probes), the UI's static files ({@code /}, {@code /index.html},
 * {@code /assets/*}), and {@code /metrics} when no tokens are set or {@code
 * hearth.auth.public-metrics} says so. Handlers read the tenant with {@link
 * Tenants#of(ServerWebExchange)}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class TenantWebFilter implements WebFilter {
  private final TenantResolver resolver;
  private final boolean metricsOpen;

  public TenantWebFilter(TenantResolver resolver, AuthProperties auth) {
    this.resolver = resolver;
    this.metricsOpen = !auth.tokensRequired() || auth.publicMetrics();
  }

  /** Whether {@code path} (normalised) is served without credentials. */
  static boolean isOpen(String path, boolean metricsOpen) {
    return path.equals("/health")
        || path.startsWith("/health/")
        || (metricsOpen && path.equals("/metrics"))
        || path.equals("/")
        || path.equals("/index.html")
        || (path.startsWith("/assets/") && path.indexOf('/', "/assets/".length()) < 0);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = RequestPaths.normalise(exchange.getRequest().getURI().getRawPath());
    if (path == null) {
      return ApiErrorResponses.write(
          exchange.getResponse(),
          ApiError.invalid(
              "path", "the request path has encoded slashes, dot segments or bad %-escapes"));
    }
    if (isOpen(path, metricsOpen)) {
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
        exchange
            .getResponse()
            .getHeaders()
            .set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hearth\"");
        yield ApiErrorResponses.write(exchange.getResponse(), ApiError.unauthenticated(r.reason()));
      }
    };
  }
}
