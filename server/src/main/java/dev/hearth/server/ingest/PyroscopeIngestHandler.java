package dev.hearth.server.ingest;

import dev.hearth.ingest.IngestCore;
import dev.hearth.ingest.IngestException;
import dev.hearth.ingest.IngestRequest;
import dev.hearth.ingest.Payload;
import dev.hearth.ingest.PyroscopeName;
import dev.hearth.ingest.SampleTypeConfig;
import dev.hearth.model.codec.pprof.PprofOptions;
import dev.hearth.server.security.Tenants;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Pyroscope's {@code POST /ingest?name=app.cpu{k=v}&from&until&format&sampleRate&spyName}, as the
 * Pyroscope SDKs and agents send it:
 *
 * <ul>
 *   <li>{@code format=folded} (the default): folded stacks; the name's suffix says the type, CPU
 *       and wall counts are samples at {@code sampleRate} Hz (default 100);
 *   <li>{@code format=pprof}: a raw pprof body, or multipart with {@code profile}, {@code
 *       prev_profile} (cumulative types are stored as {@code profile − prev_profile}) and {@code
 *       sample_type_config};
 *   <li>{@code format=jfr}: a raw recording, or multipart with {@code jfr} and {@code labels}.
 * </ul>
 *
 * The application name becomes {@code service_name}; the request succeeds (200, empty body) once
 * stored, and any refused profile refuses the whole upload.
 */
final class PyroscopeIngestHandler {
  static final String TRANSPORT = "pyroscope_ingest";

  private final IngestCore core;

  PyroscopeIngestHandler(IngestCore core) {
    this.core = core;
  }

  Mono<ServerResponse> handle(ServerRequest request) {
    String tenant = Tenants.of(request.exchange());
    return HttpBodies.read(
            request,
            core,
            TRANSPORT,
            tenant,
            body ->
                core.ingest(
                    new IngestRequest(
                        tenant, TRANSPORT, List.of(payload(request, body.bytes())), false),
                    body.permit()))
        .flatMap(result -> ServerResponse.ok().build())
        .onErrorResume(e -> HttpResponses.json(IngestErrors.of(e, TRANSPORT, tenant)));
  }

  private static Payload payload(ServerRequest request, byte[] body) {
    PyroscopeName name = PyroscopeName.parse(param(request, "name"));
    String spy = param(request, "spyName");
    Map<String, String> labels = name.seriesLabels(spy);
    long from = EpochTimes.nanos(param(request, "from"), "from");
    long until = EpochTimes.nanos(param(request, "until"), "until");
    long sampleRate = positiveLong(param(request, "sampleRate"), "sampleRate");
    String format = param(request, "format");
    MediaType type = request.headers().contentType().orElse(MediaType.APPLICATION_OCTET_STREAM);
    return switch (format == null || format.isBlank() ? "folded" : format) {
      case "folded", "lines" -> {
        if (Multipart.isMultipart(type)) {
          throw IngestException.unsupported("format=folded takes a plain-text body, not multipart");
        }
        PyroscopeName.FoldedTypes.Folded t = name.foldedType(sampleRate);
        yield new Payload.Folded(body, t.type(), t.valuePerSample(), labels, from, until);
      }
      case "pprof" -> pprof(type, body, labels, from, until);
      case "jfr" -> {
        long period = 1_000_000_000L / (sampleRate > 0 ? sampleRate : 100);
        if (Multipart.isMultipart(type)) {
          Map<String, byte[]> parts = Multipart.parse(type, body);
          byte[] jfr = parts.get("jfr");
          if (jfr == null) {
            throw IngestException.invalid("multipart", "format=jfr multipart has no 'jfr' part");
          }
          yield new Payload.Jfr(jfr, parts.get("labels"), labels, period);
        }
        yield new Payload.Jfr(body, null, labels, period);
      }
      default ->
          throw IngestException.invalid(
              "unsupported_format",
              "format '" + format + "' is not supported; use folded, pprof or jfr");
    };
  }

  private static Payload pprof(
      MediaType type, byte[] body, Map<String, String> labels, long from, long until) {
    Set<String> cumulative = PprofOptions.GO_CUMULATIVE_TYPES;
    Map<String, String> displayNames = Map.of();
    if (!Multipart.isMultipart(type)) {
      return new Payload.Pprof(body, null, labels, null, cumulative, displayNames, from, until);
    }
    Map<String, byte[]> parts = Multipart.parse(type, body);
    byte[] profile = parts.get("profile");
    if (profile == null) {
      throw IngestException.invalid("multipart", "format=pprof multipart has no 'profile' part");
    }
    byte[] config = parts.get("sample_type_config");
    if (config != null && config.length > 0) {
      SampleTypeConfig c = SampleTypeConfig.parse(config);
      cumulative = c.cumulative();
      displayNames = c.displayNames();
    }
    return new Payload.Pprof(
        profile, parts.get("prev_profile"), labels, null, cumulative, displayNames, from, until);
  }

  private static @Nullable String param(ServerRequest request, String name) {
    return request.queryParam(name).orElse(null);
  }

  private static long positiveLong(@Nullable String value, String name) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      long v = Long.parseLong(value.strip());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw IngestException.invalid(
          "invalid_parameter", "'" + name + "' must be a non-negative integer");
    }
  }
}
