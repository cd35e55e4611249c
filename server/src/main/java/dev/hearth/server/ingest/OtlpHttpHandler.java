package dev.hearth.server.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.ingest.IngestCore;
import dev.hearth.ingest.IngestException;
import dev.hearth.ingest.IngestRequest;
import dev.hearth.ingest.IngestResult;
import dev.hearth.ingest.Payload;
import dev.hearth.server.security.Tenants;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesPartialSuccess;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import java.io.UncheckedIOException;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * OTLP/HTTP {@code POST /v1development/profiles}: {@code application/x-protobuf} or {@code
 * application/json}, optionally gzip. Answers an {@code ExportProfilesServiceResponse} in the
 * request's encoding, with {@code partial_success} naming refused profiles; errors are {@code
 * google.rpc.Status} (protobuf) or its JSON form, with the OTLP/HTTP status codes.
 */
final class OtlpHttpHandler {
  static final String TRANSPORT = "otlp_http";
  static final MediaType PROTOBUF = MediaType.parseMediaType("application/x-protobuf");
  private static final MediaType PROTOBUF_ALT = MediaType.parseMediaType("application/protobuf");

  private final IngestCore core;

  OtlpHttpHandler(IngestCore core) {
    this.core = core;
  }

  Mono<ServerResponse> handle(ServerRequest request) {
    String tenant = Tenants.of(request.exchange());
    MediaType type = request.headers().contentType().orElse(null);
    boolean json = type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type);
    boolean protobuf =
        type != null && (PROTOBUF.isCompatibleWith(type) || PROTOBUF_ALT.isCompatibleWith(type));
    if (!json && !protobuf) {
      return error(
          IngestErrors.of(
              IngestException.unsupported(
                  "Content-Type must be application/x-protobuf or application/json, not " + type),
              TRANSPORT,
              tenant),
          true);
    }
    return HttpBodies.read(
            request,
            core,
            TRANSPORT,
            tenant,
            body ->
                core.ingest(
                    new IngestRequest(
                        tenant, TRANSPORT, List.of(new Payload.Otlp(body.bytes(), json)), true),
                    body.permit()))
        .flatMap(result -> ok(result, json))
        .onErrorResume(e -> error(IngestErrors.of(e, TRANSPORT, tenant), json));
  }

  static ExportProfilesServiceResponse response(IngestResult result) {
    ExportProfilesServiceResponse.Builder b = ExportProfilesServiceResponse.newBuilder();
    if (result.rejected() > 0) {
      b.setPartialSuccess(
          ExportProfilesPartialSuccess.newBuilder()
              .setRejectedProfiles(result.rejected())
              .setErrorMessage(String.join("; ", result.errors())));
    }
    return b.build();
  }

  private static Mono<ServerResponse> ok(IngestResult result, boolean json) {
    ExportProfilesServiceResponse response = response(result);
    if (json) {
      try {
        return ServerResponse.ok()
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(JsonFormat.printer().print(response));
      } catch (InvalidProtocolBufferException e) {
        throw new UncheckedIOException(new java.io.IOException(e));
      }
    }
    return ServerResponse.ok().contentType(PROTOBUF).bodyValue(response.toByteArray());
  }

  private static Mono<ServerResponse> error(IngestErrors error, boolean json) {
    int code = error.grpcCode();
    if (json) {
      return HttpResponses.builder(error)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(
              "{\"code\":" + code + ",\"message\":" + IngestErrors.quote(error.message()) + "}");
    }
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder().setCode(code).setMessage(error.message()).build();
    return HttpResponses.builder(error).contentType(PROTOBUF).bodyValue(status.toByteArray());
  }
}
