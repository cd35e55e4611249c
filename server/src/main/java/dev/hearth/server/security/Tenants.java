package dev.hearth.server.security;

import io.grpc.Context;
import org.springframework.web.server.ServerWebExchange;

/** Where handlers find the tenant {@link TenantWebFilter} or {@link TenantGrpcInterceptor} set. */
public final class Tenants {
  /** Exchange attribute holding the tenant id of an HTTP request. */
  public static final String ATTRIBUTE = "hearth.tenant";

  /** gRPC context key holding the tenant id of a call. */
  public static final Context.Key<String> GRPC_KEY = Context.key("hearth.tenant");

  private Tenants() {}

  /** The tenant of an HTTP request that passed {@link TenantWebFilter}. */
  public static String of(ServerWebExchange exchange) {
    String tenant = exchange.getAttribute(ATTRIBUTE);
    if (tenant == null) {
      throw new IllegalStateException("no tenant resolved for " + exchange.getRequest().getPath());
    }
    return tenant;
  }

  /** The tenant of the current gRPC call. */
  public static String ofGrpc() {
    String tenant = GRPC_KEY.get();
    if (tenant == null) {
      throw new IllegalStateException("no tenant resolved for this gRPC call");
    }
    return tenant;
  }
}
