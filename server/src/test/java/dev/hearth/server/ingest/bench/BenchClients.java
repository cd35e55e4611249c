package dev.hearth.server.ingest.bench;

import com.google.protobuf.ByteString;
import dev.hearth.ingest.pyroscope.proto.PushProto.LabelPair;
import dev.hearth.ingest.pyroscope.proto.PushProto.PushRequest;
import dev.hearth.ingest.pyroscope.proto.PushProto.RawProfileSeries;
import dev.hearth.ingest.pyroscope.proto.PushProto.RawSample;
import dev.hearth.model.Profile;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.otlp.OtlpEncoder;
import dev.hearth.model.codec.pprof.PprofEncoder;
import io.grpc.CallOptions;
import io.grpc.Compressor;
import io.grpc.CompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.collector.profiles.v1development.ProfilesServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The benchmark's clients of one transport, payloads encoded before the clock starts. */
abstract class BenchClients implements AutoCloseable {
  /** One client: sends payload {@code index} and answers "OK" or what went wrong. */
  interface Client {
    String send(int index);
  }

  abstract Client client(int number);

  abstract double averageBytes();

  @Override
  public void close() {}

  static BenchClients of(String mode, BenchServer server, List<Profile> profiles) {
    return switch (mode) {
      case "push" ->
          new Http(server, "/push.v1.PusherService/Push", "application/proto", push(profiles));
      case "ingest" -> new Http(server, null, "application/octet-stream", pprof(profiles));
      case "otlp" -> new Otlp(server, profiles);
      default -> throw new IllegalArgumentException("mode must be push, otlp or ingest: " + mode);
    };
  }

  private static List<byte[]> pprof(List<Profile> profiles) {
    List<byte[]> out = new ArrayList<>();
    for (Profile p : profiles) {
      out.add(PprofEncoder.encodeGzip(List.of(p)));
    }
    return out;
  }

  private static List<byte[]> push(List<Profile> profiles) {
    List<byte[]> out = new ArrayList<>();
    for (Profile p : profiles) {
      RawProfileSeries.Builder series = RawProfileSeries.newBuilder();
      series.addLabels(LabelPair.newBuilder().setName("__name__").setValue("process_cpu"));
      p.labels()
          .asMap()
          .forEach((k, v) -> series.addLabels(LabelPair.newBuilder().setName(k).setValue(v)));
      series.addSamples(
          RawSample.newBuilder()
              .setRawProfile(ByteString.copyFrom(PprofEncoder.encodeGzip(List.of(p)))));
      out.add(PushRequest.newBuilder().addSeries(series).build().toByteArray());
    }
    return out;
  }

  /** Connect unary push.v1, or {@code /ingest?format=pprof&name=<service>} when path is null. */
  private static final class Http extends BenchClients {
    private final HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<HttpRequest> requests = new ArrayList<>();
    private final double averageBytes;

    Http(BenchServer server, String path, String contentType, List<byte[]> bodies) {
      String base = "http://127.0.0.1:" + server.httpPort;
      for (int i = 0; i < bodies.size(); i++) {
        String uri = path != null ? base + path : base + "/ingest?format=pprof&name=svc" + i / 10;
        requests.add(
            HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
                .build());
      }
      this.averageBytes = bodies.stream().mapToLong(b -> b.length).average().orElse(0);
    }

    @Override
    Client client(int number) {
      return index -> {
        try {
          HttpResponse<Void> r =
              http.send(requests.get(index), HttpResponse.BodyHandlers.discarding());
          return r.statusCode() == 200 ? "OK" : String.valueOf(r.statusCode());
        } catch (Exception e) {
          return e.getClass().getSimpleName();
        }
      };
    }

    @Override
    double averageBytes() {
      return averageBytes;
    }
  }

  /**
   * OTLP gRPC, gzip, one channel per client. The requests are gzipped before the clock starts and
   * sent as they are in gzip-flagged frames (a pass-through "gzip" compressor): the server sees
   * what a gzip client sends, and the load generator, on the same two cores, spends no CPU
   * compressing.
   */
  private static final class Otlp extends BenchClients {
    private static final MethodDescriptor<byte[], ExportProfilesServiceResponse> EXPORT =
        MethodDescriptor.<byte[], ExportProfilesServiceResponse>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(ProfilesServiceGrpc.getExportMethod().getFullMethodName())
            .setRequestMarshaller(new Gzipped())
            .setResponseMarshaller(
                ProtoUtils.marshaller(ExportProfilesServiceResponse.getDefaultInstance()))
            .build();

    private final BenchServer server;
    private final List<byte[]> requests = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final double averageBytes;

    Otlp(BenchServer server, List<Profile> profiles) {
      this.server = server;
      long bytes = 0;
      for (Profile p : profiles) {
        byte[] gz = Gzip.gzip(OtlpEncoder.encode(List.of(p)).toByteArray());
        requests.add(gz);
        bytes += gz.length;
      }
      this.averageBytes = bytes / (double) profiles.size();
    }

    @Override
    synchronized Client client(int number) {
      CompressorRegistry compressors = CompressorRegistry.newEmptyInstance();
      compressors.register(new AlreadyGzipped());
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort)
              .usePlaintext()
              .compressorRegistry(compressors)
              .maxInboundMessageSize(64 << 20)
              .build();
      channels.add(channel);
      return index -> {
        try {
          CallOptions options =
              CallOptions.DEFAULT.withCompression("gzip").withDeadlineAfter(60, TimeUnit.SECONDS);
          var r = ClientCalls.blockingUnaryCall(channel, EXPORT, options, requests.get(index));
          return r.hasPartialSuccess() && r.getPartialSuccess().getRejectedProfiles() > 0
              ? "PARTIAL"
              : "OK";
        } catch (StatusRuntimeException e) {
          return e.getStatus().getCode().name();
        }
      };
    }

    /** Request bytes as they are. */
    private static final class Gzipped implements MethodDescriptor.Marshaller<byte[]> {
      @Override
      public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
      }

      @Override
      public byte[] parse(InputStream stream) {
        throw new UnsupportedOperationException("client side only");
      }
    }

    /** Announces gzip for bytes the marshaller already gzipped. */
    private static final class AlreadyGzipped implements Compressor {
      @Override
      public String getMessageEncoding() {
        return "gzip";
      }

      @Override
      public OutputStream compress(OutputStream os) {
        return os;
      }
    }

    @Override
    double averageBytes() {
      return averageBytes;
    }

    @Override
    public void close() {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }
}
