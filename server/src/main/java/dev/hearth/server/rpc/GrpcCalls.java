package dev.hearth.server.rpc;

import com.google.protobuf.Message;
import dev.hearth.server.security.Tenants;
import dev.hearth.server.web.ApiError;
import io.grpc.stub.StreamObserver;

/** Answers a gRPC call with a {@link UnaryMethod}. */
public final class GrpcCalls {
  private GrpcCalls() {}

  /** Runs {@code method} for the call's tenant and answers the observer once. */
  public static <Q extends Message, R extends Message> void answer(
      UnaryMethod<Q, R> method, Q request, StreamObserver<R> observer) {
    String tenant = Tenants.ofGrpc();
    method
        .invoke(tenant, request)
        .subscribe(
            value -> {
              observer.onNext(value);
              observer.onCompleted();
            },
            e -> observer.onError(ApiError.of(e, context(method, tenant)).grpc()));
  }

  static String context(UnaryMethod<?, ?> method, String tenant) {
    return method.path() + ", tenant " + tenant;
  }
}
