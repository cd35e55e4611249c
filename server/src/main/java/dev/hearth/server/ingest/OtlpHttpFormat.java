package dev.hearth.server.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.ingest.IngestException;
import dev.hearth.ingest.IngestResult;
import dev.hearth.ingest.Payload;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesPartialSuccess;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import java.io.UncheckedIOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * OTLP/HTTP {@code POST /v1development/profiles}: {@code application/x-protobuf} or {@code
 * application/json}, optionally gzip. Answers an {@code ExportProfilesServiceResponse} in the
 * request's encoding, with {@code partial_success} naming refused profiles; errors are {@code
 * google.rpc.Status} (protobuf) or its JSON form, with the OTLP/HTTP status codes.
 */
@Component
final class OtlpHttpFormat implements HttpIngestFormat {
  static final String TRANSPORT = "otlp_http";
  static final MediaType PROTOBUF = MediaType.parseMediaType("application/x-protobuf");
  private static final MediaType PROTOBUF_ALT = MediaType.parseMediaType("application/protobuf");

  @Override
  public String path() {
    return "/v1development/profiles";
  }

  @Override
  public String transport() {
    return TRANSPORT;
  }

  @Override
  public boolean partialSuccess() {
    return true;
  }

  @Override
  public Exchange open(ServerRequest request) {
    MediaType type = request.headers().contentType().orElse(null);
    boolean json = isJson(type);
    boolean protobuf =
        type != null && (PROTOBUF.isCompatibleWith(type) || PROTOBUF_ALT.isCompatibleWith(type));
    if (!json && !protobuf) {
      throw IngestException.unsupported(
          "Content-Type must be application/x-protobuf or application/json, not " + type);
    }
    return new Exchange() {
      @Override
      public List<Payload> payloads(byte[] body) {
        return List.of(new Payload.Otlp(body, json));
      }

      @Override
      public Mono<ServerResponse> ok(IngestResult result) {
        return OtlpHttpFormat.ok(result, json);
      }
    };
  }

  private static boolean isJson(@Nullable MediaType type) {
    return type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type);
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

  /** JSON when the request was JSON or its type unreadable, else {@code google.rpc.Status}. */
  @Override
  public Mono<ServerResponse> error(ServerRequest request, IngestErrors error) {
    MediaType type = request.headers().contentType().orElse(null);
    boolean protobuf =
        type != null && (PROTOBUF.isCompatibleWith(type) || PROTOBUF_ALT.isCompatibleWith(type));
    int code = error.grpcCode();
    if (!protobuf) {
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
