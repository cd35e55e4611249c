package dev.hearth.server.rpc;

import com.google.protobuf.Message;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/**
 * One unary RPC method, transport-neutral.
 *
 * @param service the fully qualified service name, e.g. {@code querier.v1.QuerierService}
 * @param name the method name, e.g. {@code SelectMergeStacktraces}
 * @param requestPrototype the request message's default instance (its parser and JSON schema)
 * @param call the tenant and the request to the response; may throw or fail the {@link Mono}
 */
public record UnaryMethod<Q extends Message, R extends Message>(
    String service, String name, Q requestPrototype, BiFunction<String, Q, Mono<R>> call) {

  /** {@code /service/name}: the HTTP path of the method in both gRPC and Connect. */
  public String path() {
    return "/" + service + "/" + name;
  }

  /** Runs the method; a synchronous failure becomes a failed {@link Mono}. */
  public Mono<R> invoke(String tenant, Q request) {
    try {
      return call.apply(tenant, request);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
  }
}
