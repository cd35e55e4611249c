package dev.hearth.server.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.ingest.IngestCore;
import dev.hearth.ingest.IngestException;
import dev.hearth.ingest.IngestRequest;
import dev.hearth.ingest.Payload;
import dev.hearth.ingest.proto.PushProto.LabelPair;
import dev.hearth.ingest.proto.PushProto.PushRequest;
import dev.hearth.ingest.proto.PushProto.RawProfileSeries;
import dev.hearth.ingest.proto.PushProto.RawSample;
import dev.hearth.model.codec.pprof.PprofOptions;
import dev.hearth.server.security.Tenants;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Pyroscope's {@code push.v1.PusherService/Push} over the Connect protocol (unary POST, {@code
 * application/proto} or {@code application/json}, optional {@code Content-Encoding: gzip}), as
 * Grafana Alloy's {@code pyroscope.write} sends it. Each series' labels name the service ({@code
 * service_name}) and the profile family ({@code __name__}); each raw sample is a pprof. {@code
 * __delta__="false"} marks Go's cumulative types, which are stored as deltas between consecutive
 * pushes. Errors follow Connect: {@code {"code": "invalid_argument", "message": …}}.
 */
final class PyroscopePushHandler {
  static final String TRANSPORT = "pyroscope_push";
  static final MediaType PROTO = MediaType.parseMediaType("application/proto");

  private final IngestCore core;

  PyroscopePushHandler(IngestCore core) {
    this.core = core;
  }

  Mono<ServerResponse> handle(ServerRequest request) {
    String tenant = Tenants.of(request.exchange());
    MediaType type = request.headers().contentType().orElse(null);
    boolean json = type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type);
    boolean proto = type != null && PROTO.isCompatibleWith(type);
    if (!json && !proto) {
      return error(
          IngestErrors.of(
              IngestException.unsupported(
                  "Content-Type must be application/proto or application/json, not " + type),
              TRANSPORT,
              tenant));
    }
    return HttpBodies.read(
            request,
            core,
            TRANSPORT,
            tenant,
            body ->
                core.ingest(
                    new IngestRequest(tenant, TRANSPORT, payloads(body.bytes(), json), false),
                    body.permit()))
        .flatMap(
            result ->
                json
                    ? ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                    : ServerResponse.ok().contentType(PROTO).bodyValue(new byte[0]))
        .onErrorResume(e -> error(IngestErrors.of(e, TRANSPORT, tenant)));
  }

  private static List<Payload> payloads(byte[] body, boolean json) {
    PushRequest push;
    try {
      if (json) {
        PushRequest.Builder b = PushRequest.newBuilder();
        JsonFormat.parser()
            .ignoringUnknownFields()
            .merge(new String(body, StandardCharsets.UTF_8), b);
        push = b.build();
      } else {
        push = PushRequest.parseFrom(body);
      }
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw IngestException.invalid(
          "decode", "push.v1 PushRequest is not valid " + (json ? "JSON" : "protobuf"));
    }
    List<Payload> out = new ArrayList<>();
    for (RawProfileSeries series : push.getSeriesList()) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (LabelPair l : series.getLabelsList()) {
        labels.put(l.getName(), l.getValue());
      }
      String name = labels.get("__name__");
      Set<String> cumulative =
          "false".equals(labels.get("__delta__")) ? PprofOptions.GO_CUMULATIVE_TYPES : Set.of();
      for (RawSample sample : series.getSamplesList()) {
        out.add(
            new Payload.Pprof(
                sample.getRawProfile().toByteArray(),
                null,
                labels,
                name == null || name.isBlank() ? null : name,
                cumulative,
                Map.of(),
                0,
                0));
      }
    }
    return out;
  }

  private static Mono<ServerResponse> error(IngestErrors error) {
    return dev.hearth.server.web.ApiErrorResponses.connect(error.error());
  }
}
