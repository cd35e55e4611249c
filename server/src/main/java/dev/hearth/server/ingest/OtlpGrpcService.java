package dev.hearth.server.ingest;

import dev.hearth.ingest.IngestCore;
import dev.hearth.ingest.IngestRequest;
import dev.hearth.ingest.Payload;
import dev.hearth.server.security.Tenants;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.collector.profiles.v1development.ProfilesServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * OTLP {@code opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export} on the
 * gRPC listener. The request is taken as raw bytes (a byte-array marshaller instead of the
 * generated one) so the model's decoder sees the wire layout and converts payloads of producers
 * built on opentelemetry-proto 1.8 and 1.9 rather than misreading them. gzip from clients is
 * handled by grpc-java. Refused profiles are reported in {@code partial_success}; overload is
 * {@code RESOURCE_EXHAUSTED} with a {@code RetryInfo}, an unreachable ClickHouse {@code
 * UNAVAILABLE}.
 */
final class OtlpGrpcService implements BindableService {
  static final String TRANSPORT = "otlp_grpc";

  static final MethodDescriptor<byte[], ExportProfilesServiceResponse> EXPORT =
      MethodDescriptor.<byte[], ExportProfilesServiceResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(
              MethodDescriptor.generateFullMethodName(ProfilesServiceGrpc.SERVICE_NAME, "Export"))
          .setRequestMarshaller(new RawBytes())
          .setResponseMarshaller(
              ProtoUtils.marshaller(ExportProfilesServiceResponse.getDefaultInstance()))
          .setSchemaDescriptor(ProfilesServiceGrpc.getExportMethod().getSchemaDescriptor())
          .build();

  private final IngestCore core;

  OtlpGrpcService(IngestCore core) {
    this.core = core;
  }

  @Override
  public ServerServiceDefinition bindService() {
    ServiceDescriptor service =
        ServiceDescriptor.newBuilder(ProfilesServiceGrpc.SERVICE_NAME)
            .setSchemaDescriptor(ProfilesServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
            .addMethod(EXPORT)
            .build();
    return ServerServiceDefinition.builder(service)
        .addMethod(EXPORT, ServerCalls.asyncUnaryCall(this::export))
        .build();
  }

  private void export(byte[] body, StreamObserver<ExportProfilesServiceResponse> observer) {
    String tenant = Tenants.ofGrpc();
    core.ingest(new IngestRequest(tenant, TRANSPORT, List.of(new Payload.Otlp(body, false)), true))
        .subscribe(
            result -> {
              observer.onNext(OtlpHttpFormat.response(result));
              observer.onCompleted();
            },
            e -> observer.onError(status(e, tenant)));
  }

  private static Throwable status(Throwable e, String tenant) {
    return dev.hearth.server.web.ApiError.of(e, "OTLP gRPC export, tenant " + tenant).grpc();
  }

  /** Hands the request's bytes over as they came (grpc-java has already un-gzipped them). */
  static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
