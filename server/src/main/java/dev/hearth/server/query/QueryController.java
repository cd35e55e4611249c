package dev.hearth.server.query;

import dev.hearth.model.ProfileType;
import dev.hearth.query.InvalidQueryException;
import dev.hearth.query.QueryEngine;
import dev.hearth.query.QueryParams;
import dev.hearth.query.QueryParams.Range;
import dev.hearth.query.json.JsonWritable;
import dev.hearth.query.json.JsonWriter;
import dev.hearth.server.security.Tenants;
import dev.hearth.storage.SeriesSelection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.Part;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * REST under {@code /api/v1}, as {@code query/openapi.yaml} describes it: parse the parameters,
 * call the query core for the request's tenant, write the result. Nothing else happens here.
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

  private Range range(@Nullable String from, @Nullable String until) {
    return QueryParams.range("from", from, "until", until, engine.nowNanos());
  }

  private SeriesSelection selection(
      ServerWebExchange exchange,
      @Nullable String query,
      @Nullable String profileType,
      @Nullable String from,
      @Nullable String until) {
    return QueryParams.selection(
        Tenants.of(exchange), "query", query, profileType, range(from, until));
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
  Mono<ResponseEntity<byte[]>> profileTypes(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String until) {
    return engine
        .profileTypes(Tenants.of(exchange), range(from, until))
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
  Mono<ResponseEntity<byte[]>> labels(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String query,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String until) {
    return strings(
        "names",
        engine.labelNames(
            Tenants.of(exchange), QueryParams.selector("query", query), range(from, until)));
  }

  @GetMapping("/label-values")
  Mono<ResponseEntity<byte[]>> labelValues(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String name,
      @RequestParam(required = false) @Nullable String query,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String until) {
    if (name == null || name.isBlank()) {
      throw new InvalidQueryException("name", "is required: the label whose values to list");
    }
    return strings(
        "values",
        engine.labelValues(
            Tenants.of(exchange), name, QueryParams.selector("query", query), range(from, until)));
  }

  @GetMapping("/flamegraph")
  Mono<ResponseEntity<byte[]>> flamegraph(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String query,
      @RequestParam(required = false) @Nullable String profileType,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String until,
      @RequestParam(required = false) @Nullable String maxNodes) {
    SeriesSelection s = selection(exchange, query, profileType, from, until);
    return engine
        .flamegraph(s, QueryParams.maxNodes(maxNodes, engine.limits()))
        .map(QueryController::json);
  }

  @GetMapping("/diff")
  Mono<ResponseEntity<byte[]>> diff(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String leftQuery,
      @RequestParam(required = false) @Nullable String leftFrom,
      @RequestParam(required = false) @Nullable String leftUntil,
      @RequestParam(required = false) @Nullable String rightQuery,
      @RequestParam(required = false) @Nullable String rightFrom,
      @RequestParam(required = false) @Nullable String rightUntil,
      @RequestParam(required = false) @Nullable String maxNodes) {
    String tenant = Tenants.of(exchange);
    long now = engine.nowNanos();
    SeriesSelection left =
        QueryParams.selection(
            tenant,
            "leftQuery",
            leftQuery,
            null,
            QueryParams.range("leftFrom", leftFrom, "leftUntil", leftUntil, now));
    SeriesSelection right =
        QueryParams.selection(
            tenant,
            "rightQuery",
            rightQuery,
            null,
            QueryParams.range("rightFrom", rightFrom, "rightUntil", rightUntil, now));
    return engine
        .diff(left, right, QueryParams.maxNodes(maxNodes, engine.limits()))
        .map(QueryController::json);
  }

  @GetMapping("/series")
  Mono<ResponseEntity<byte[]>> series(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String query,
      @RequestParam(required = false) @Nullable String profileType,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String until,
      @RequestParam(required = false) @Nullable String step,
      @RequestParam(required = false) @Nullable String groupBy,
      @RequestParam(required = false) @Nullable String limit) {
    SeriesSelection s = selection(exchange, query, profileType, from, until);
    return engine
        .series(
            s,
            QueryParams.step(step),
            QueryParams.groupBy(groupBy),
            QueryParams.positive("limit", limit, 20, 10_000))
        .map(QueryController::json);
  }

  @GetMapping("/top")
  Mono<ResponseEntity<byte[]>> top(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String query,
      @RequestParam(required = false) @Nullable String profileType,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String until,
      @RequestParam(required = false) @Nullable String limit,
      @RequestParam(required = false) @Nullable String orderBy) {
    SeriesSelection s = selection(exchange, query, profileType, from, until);
    String order = orderBy == null || orderBy.isBlank() ? "self" : orderBy;
    if (!order.equals("self") && !order.equals("total")) {
      throw new InvalidQueryException("orderBy", "must be self or total, not '" + order + "'");
    }
    return engine
        .top(s, QueryParams.positive("limit", limit, 100, 100_000), order.equals("total"))
        .map(QueryController::json);
  }

  @GetMapping("/sandwich")
  Mono<ResponseEntity<byte[]>> sandwich(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String query,
      @RequestParam(required = false) @Nullable String profileType,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String until,
      @RequestParam(required = false) @Nullable String function,
      @RequestParam(required = false) @Nullable String maxNodes) {
    SeriesSelection s = selection(exchange, query, profileType, from, until);
    return engine
        .sandwich(
            s, function == null ? "" : function, QueryParams.maxNodes(maxNodes, engine.limits()))
        .map(QueryController::json);
  }

  @GetMapping("/correlate")
  Mono<ResponseEntity<byte[]>> correlate(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String query,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String until,
      @RequestParam(required = false) @Nullable String step,
      @RequestParam(required = false) @Nullable String topK) {
    return engine
        .correlate(
            Tenants.of(exchange),
            QueryParams.selector("query", query).matchers(),
            range(from, until),
            QueryParams.step(step),
            QueryParams.positive("topK", topK, 50, 10_000))
        .map(QueryController::json);
  }

  @GetMapping("/pprof")
  Mono<ResponseEntity<byte[]>> pprof(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String query,
      @RequestParam(required = false) @Nullable String profileType,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String until) {
    return engine
        .pprof(selection(exchange, query, profileType, from, until))
        .map(
            bytes ->
                ResponseEntity.ok()
                    .contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .header(
                        HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"profile.pb.gz\"")
                    .body(bytes));
  }

  @GetMapping("/folded")
  Mono<ResponseEntity<byte[]>> folded(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String query,
      @RequestParam(required = false) @Nullable String profileType,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String until) {
    return engine
        .folded(selection(exchange, query, profileType, from, until))
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
  Mono<ResponseEntity<byte[]>> render(
      ServerWebExchange exchange,
      @RequestParam(required = false) @Nullable String format,
      @RequestParam(required = false) @Nullable String profileType,
      @RequestParam(required = false) @Nullable String maxNodes) {
    Tenants.of(exchange); // render stores nothing, but it is an API call like any other
    int nodes = QueryParams.maxNodes(maxNodes, engine.limits());
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
                            ? Mono.just(format == null ? "" : format)
                            : join(formatPart.content())
                                .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8));
                    return join(file.content()).zipWith(formatValue, Upload::new);
                  });
    } else {
      upload =
          join(exchange.getRequest().getBody())
              .map(b -> new Upload(b, format == null ? "" : format));
    }
    return upload
        .publishOn(Schedulers.boundedElastic())
        .map(
            u ->
                json(
                    engine.render(
                        u.data(),
                        u.format().strip().toLowerCase(Locale.ROOT),
                        profileType,
                        nodes)));
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
