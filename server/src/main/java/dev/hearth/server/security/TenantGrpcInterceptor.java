package dev.hearth.server.security;

import dev.hearth.server.config.AuthProperties;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.stereotype.Component;

/**
 * Resolves the tenant of every gRPC call except health checks (and server reflection while no
 * tokens are set, or {@code hearth.auth.public-reflection} says so), answering {@code
 * UNAUTHENTICATED} when there is none. Services read it with {@link Tenants#ofGrpc()}.
 */
@Component
@GlobalServerInterceptor
public class TenantGrpcInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> ORG_ID =
      Metadata.Key.of("x-scope-orgid", Metadata.ASCII_STRING_MARSHALLER);

  private final TenantResolver resolver;
  private final boolean reflectionOpen;

  public TenantGrpcInterceptor(TenantResolver resolver, AuthProperties auth) {
    this.resolver = resolver;
    this.reflectionOpen = !auth.tokensRequired() || auth.publicReflection();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String service = call.getMethodDescriptor().getServiceName();
    if (service != null
        && (service.startsWith("grpc.health.")
            || (reflectionOpen && service.startsWith("grpc.reflection.")))) {
      return next.startCall(call, headers);
    }
    return switch (resolver.resolve(headers.get(AUTHORIZATION), headers.get(ORG_ID))) {
      case TenantResolver.Tenant t ->
          Contexts.interceptCall(
              Context.current().withValue(Tenants.GRPC_KEY, t.id()), call, headers, next);
      case TenantResolver.Refused r -> {
        call.close(Status.UNAUTHENTICATED.withDescription(r.reason()), new Metadata());
        yield new ServerCall.Listener<>() {};
      }
    };
  }
}
