package dev.hearth.agent.bench;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.collector.profiles.v1development.ProfilesServiceGrpc;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP profiles endpoint that accepts and discards, for {@code scripts/bench-agent.sh}: {@code
 * OtlpSink PORT}. Prints the requests and decoded bytes it took when stopped.
 */
public final class OtlpSink {
  private OtlpSink() {}

  public static void main(String[] args) throws Exception {
    AtomicLong requests = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])))
            .addService(
                new ProfilesServiceGrpc.ProfilesServiceImplBase() {
                  @Override
                  public void export(
                      ExportProfilesServiceRequest request,
                      StreamObserver<ExportProfilesServiceResponse> response) {
                    requests.incrementAndGet();
                    bytes.addAndGet(request.getSerializedSize());
                    response.onNext(ExportProfilesServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.printf(
                      "otlp-sink: requests=%d uncompressed_bytes=%d%n",
                      requests.get(), bytes.get());
                  server.shutdownNow();
                }));
    server.awaitTermination();
  }
}
