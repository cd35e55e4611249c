package dev.hearth.server.query;

import dev.hearth.model.ProfileType;
import dev.hearth.query.InvalidQueryException;
import dev.hearth.query.QueryEngine;
import dev.hearth.query.json.JsonWritable;
import dev.hearth.query.json.JsonWriter;
import dev.hearth.query.request.CorrelateQuery;
import dev.hearth.query.request.DiffQuery;
import dev.hearth.query.request.LabelNamesQuery;
import dev.hearth.query.request.LabelValuesQuery;
import dev.hearth.query.request.MergeQuery;
import dev.hearth.query.request.Params;
import dev.hearth.query.request.ParseContext;
import dev.hearth.query.request.ProfileTypesQuery;
import dev.hearth.query.request.RenderQuery;
import dev.hearth.query.request.SandwichQuery;
import dev.hearth.query.request.SeriesQuery;
import dev.hearth.query.request.TopQuery;
import dev.hearth.server.security.Tenants;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.Part;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * REST under {@code /api/v1}, as {@code query/openapi.yaml} describes it: the query string goes to
 * the operation's typed request ({@link dev.hearth.query.request}), which parses and validates it;
 * the result is written as JSON. Failures are answered by {@link
 * dev.hearth.server.web.ApiErrorHandler}.
 */
@RestController
@RequestMapping("/api/v1")
public class QueryController {
  /** Largest upload {@code render} accepts. */
  static final int MAX_UPLOAD_BYTES = 64 << 20;

  private final QueryEngine engine;

  public QueryController(QueryEngine engine) {
    this.engine = engine;
  }

  /** The request's query string under REST names, and what parsing needs. */
  private static Params params(ServerWebExchange exchange) {
    var query = exchange.getRequest().getQueryParams();
    return Params.of(query::getFirst);
  }

  private ParseContext context(ServerWebExchange exchange) {
    return new ParseContext(Tenants.of(exchange), engine.nowNanos(), engine.limits());
  }

  private static ResponseEntity<byte[]> json(JsonWriter w) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(w.toBytes());
  }

  private static ResponseEntity<byte[]> json(JsonWritable result) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(result.toJsonBytes());
  }

  private static Mono<ResponseEntity<byte[]>> strings(String field, Mono<List<String>> values) {
    return values.map(
        list -> {
          JsonWriter w = new JsonWriter().beginObject().name(field).beginArray();
          list.forEach(w::value);
          return json(w.endArray().endObject());
        });
  }

  @GetMapping("/profile-types")
  Mono<ResponseEntity<byte[]>> profileTypes(ServerWebExchange exchange) {
    ProfileTypesQuery q = ProfileTypesQuery.parse(params(exchange), context(exchange));
    return engine
        .profileTypes(q.tenant(), q.range())
        .map(
            types -> {
              JsonWriter w = new JsonWriter().beginObject().name("profileTypes").beginArray();
              for (ProfileType t : types) {
                w.beginObject()
                    .field("id", t.id())
                    .field("name", t.name())
                    .field("sampleType", t.sampleType())
                    .field("sampleUnit", t.sampleUnit())
                    .field("periodType", t.periodType())
                    .field("periodUnit", t.periodUnit())
                    .endObject();
              }
              return json(w.endArray().endObject());
            });
  }

  @GetMapping("/labels")
  Mono<ResponseEntity<byte[]>> labels(ServerWebExchange exchange) {
    LabelNamesQuery q = LabelNamesQuery.parse(params(exchange), context(exchange));
    return strings("names", engine.labelNames(q.tenant(), q.selector(), q.range()));
  }

  @GetMapping("/label-values")
  Mono<ResponseEntity<byte[]>> labelValues(ServerWebExchange exchange) {
    LabelValuesQuery q = LabelValuesQuery.parse(params(exchange), context(exchange));
    return strings("values", engine.labelValues(q.tenant(), q.name(), q.selector(), q.range()));
  }

  @GetMapping("/flamegraph")
  Mono<ResponseEntity<byte[]>> flamegraph(ServerWebExchange exchange) {
    MergeQuery q = MergeQuery.parse(params(exchange), context(exchange));
    return engine.flamegraph(q.selection(), q.maxNodes()).map(QueryController::json);
  }

  @GetMapping("/diff")
  Mono<ResponseEntity<byte[]>> diff(ServerWebExchange exchange) {
    DiffQuery q = DiffQuery.parse(params(exchange), context(exchange));
    return engine.diff(q.left(), q.right(), q.maxNodes()).map(QueryController::json);
  }

  @GetMapping("/series")
  Mono<ResponseEntity<byte[]>> series(ServerWebExchange exchange) {
    SeriesQuery q = SeriesQuery.parse(params(exchange), context(exchange));
    return engine
        .series(q.selection(), q.stepNanos(), q.groupBy(), q.limit())
        .map(QueryController::json);
  }

  @GetMapping("/top")
  Mono<ResponseEntity<byte[]>> top(ServerWebExchange exchange) {
    TopQuery q = TopQuery.parse(params(exchange), context(exchange));
    return engine.top(q.selection(), q.limit(), q.byTotal()).map(QueryController::json);
  }

  @GetMapping("/sandwich")
  Mono<ResponseEntity<byte[]>> sandwich(ServerWebExchange exchange) {
    SandwichQuery q = SandwichQuery.parse(params(exchange), context(exchange));
    return engine.sandwich(q.selection(), q.function(), q.maxNodes()).map(QueryController::json);
  }

  @GetMapping("/correlate")
  Mono<ResponseEntity<byte[]>> correlate(ServerWebExchange exchange) {
    CorrelateQuery q = CorrelateQuery.parse(params(exchange), context(exchange));
    return engine
        .correlate(q.tenant(), q.matchers(), q.range(), q.stepNanos(), q.topK())
        .map(QueryController::json);
  }

  @GetMapping("/pprof")
  Mono<ResponseEntity<byte[]>> pprof(ServerWebExchange exchange) {
    MergeQuery q = MergeQuery.parse(params(exchange), context(exchange));
    return engine
        .pprof(q.selection())
        .map(
            bytes ->
                ResponseEntity.ok()
                    .contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .header(
                        HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"profile.pb.gz\"")
                    .body(bytes));
  }

  @GetMapping("/folded")
  Mono<ResponseEntity<byte[]>> folded(ServerWebExchange exchange) {
    MergeQuery q = MergeQuery.parse(params(exchange), context(exchange));
    return engine
        .folded(q.selection())
        .map(
            bytes ->
                ResponseEntity.ok()
                    .contentType(
                        new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8))
                    .body(bytes));
  }

  /**
   * Renders an uploaded file: the raw request body, or a multipart form whose {@code profile} part
   * is the file (a {@code format} form field may name its format).
   */
  @PostMapping("/render")
  Mono<ResponseEntity<byte[]>> render(ServerWebExchange exchange) {
    // render stores nothing, but it is an API call like any other: it needs a tenant
    ParseContext context = context(exchange);
    Params query = params(exchange);
    RenderQuery.parse(query, context); // the query string alone must be valid
    MediaType type = exchange.getRequest().getHeaders().getContentType();
    Mono<Upload> upload;
    if (type != null && MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type)) {
      upload =
          exchange
              .getMultipartData()
              .flatMap(
                  parts -> {
                    Part file = parts.getFirst("profile");
                    if (file == null) {
                      return Mono.error(
                          new InvalidQueryException(
                              "profile", "multipart upload has no 'profile' part"));
                    }
                    Part formatPart = parts.getFirst("format");
                    Mono<String> formatValue =
                        formatPart == null
                            ? Mono.just("")
                            : join(formatPart.content())
                                .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8));
                    return join(file.content()).zipWith(formatValue, Upload::new);
                  });
    } else {
      upload = join(exchange.getRequest().getBody()).map(b -> new Upload(b, ""));
    }
    return upload
        .publishOn(Schedulers.boundedElastic())
        .map(
            u -> {
              // a format form field overrides the query string's
              Params withForm =
                  u.format().isBlank()
                      ? query
                      : Params.of(name -> name.equals("format") ? u.format() : query.get(name));
              return json(engine.render(u.data(), RenderQuery.parse(withForm, context)));
            });
  }

  private record Upload(byte[] data, String format) {}

  private static Mono<byte[]> join(Flux<DataBuffer> content) {
    return DataBufferUtils.join(content, MAX_UPLOAD_BYTES)
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.readableByteCount()];
              buffer.read(bytes);
              DataBufferUtils.release(buffer);
              return bytes;
            })
        .defaultIfEmpty(new byte[0])
        .onErrorMap(
            org.springframework.core.io.buffer.DataBufferLimitException.class,
            e ->
                new InvalidQueryException(
                    "body", "upload is larger than " + (MAX_UPLOAD_BYTES >> 20) + " MiB"));
  }
}
