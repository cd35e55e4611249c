package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.agent.export.OtlpExporter;
import dev.hearth.model.Profile;
import dev.hearth.model.codec.otlp.OtlpDecoder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.collector.profiles.v1development.ProfilesServiceGrpc;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent exports to an OTLP profiles gRPC endpoint: gzip, bearer token, every interval; the
 * requests decode with the model's {@link OtlpDecoder} to profiles carrying the full chain and the
 * resource attributes. The endpoint is an in-process {@code ProfilesService}, a stand-in for the
 * server until its OTLP ingest lands.
 */
class OtlpExportIT {
  @BeforeAll
  static void root() {
    Workloads.requireRoot();
  }

  @Test
  void exportsTheChainOverOtlpGrpc(@TempDir Path dir) throws Exception {
    List<ExportProfilesServiceRequest> received = new CopyOnWriteArrayList<>();
    List<String> authorizations = new CopyOnWriteArrayList<>();
    List<String> encodings = new CopyOnWriteArrayList<>();
    ProfilesServiceGrpc.ProfilesServiceImplBase service =
        new ProfilesServiceGrpc.ProfilesServiceImplBase() {
          @Override
          public void export(
              ExportProfilesServiceRequest request,
              StreamObserver<ExportProfilesServiceResponse> response) {
            received.add(request);
            response.onNext(ExportProfilesServiceResponse.getDefaultInstance());
            response.onCompleted();
          }
        };
    ServerInterceptor headers =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata h, ServerCallHandler<Q, R> next) {
            authorizations.add(
                String.valueOf(
                    h.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER))));
            encodings.add(
                String.valueOf(
                    h.get(Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER))));
            return next.startCall(call, h);
          }
        };
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(service, headers))
            .build()
            .start();
    Process workload = Workloads.startC(Workloads.compileC(dir), 6);
    try {
      Thread.sleep(200);
      AgentConfig config =
          AgentConfig.parse(
              "--pid", Long.toString(workload.pid()),
              "--frequency", "99",
              "--interval", "1s",
              "--server", "127.0.0.1:" + server.getPort(),
              "--token", "secret",
              "--service-version", "1.2.3",
              "--environment", "test");
      OtlpExporter exporter = new OtlpExporter(config.server(), config.token(), false, null, 10);
      try (Profiler profiler = new Profiler(config, exporter::offer)) {
        profiler.start();
        Thread.sleep(Duration.ofMillis(3500));
      }
      exporter.close(Duration.ofSeconds(5));

      assertThat(received).hasSizeGreaterThanOrEqualTo(2);
      assertThat(exporter.sent()).isEqualTo(received.size());
      assertThat(exporter.wireBytes()).isPositive();
      assertThat(authorizations).allMatch(a -> a.equals("Bearer secret"));
      assertThat(encodings).allMatch(e -> e.equals("gzip"));
      List<Profile> profiles = new ArrayList<>();
      for (ExportProfilesServiceRequest r : received) {
        profiles.addAll(OtlpDecoder.decode(r));
      }
      double share = Workloads.shareWithChain(profiles, Workloads.C_CHAIN);
      System.out.printf(
          "exported: %.1f%% of %d samples carry main→a→b→hot%n",
          share * 100, Workloads.count(profiles));
      assertThat(share).as(Workloads.top(profiles)).isGreaterThanOrEqualTo(0.9);
      var attributes = received.getFirst().getResourceProfiles(0).getResource().getAttributesList();
      assertThat(attributes)
          .extracting(kv -> kv.getKey() + "=" + kv.getValue().getStringValue())
          .contains(
              "os.type=linux",
              "host.arch=amd64",
              "service.version=1.2.3",
              "deployment.environment.name=test",
              "service_name=chain");
      var profile = received.getFirst().getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);
      assertThat(profile.getPeriod()).isEqualTo(1_000_000_000L / 99);
      assertThat(profile.getDurationNano()).isPositive();
    } finally {
      workload.destroy();
      server.shutdownNow();
    }
  }
}
