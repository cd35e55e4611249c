package dev.hearth.server.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.server.security.Tenants;
import dev.hearth.server.web.ApiError;
import dev.hearth.server.web.ApiErrorResponses;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@link UnaryMethod}s over the Connect protocol's unary calls: {@code POST /<service>/<method>}
 * with {@code Content-Type: application/proto} or {@code application/json} (protobuf's JSON
 * mapping), optionally {@code Content-Encoding: gzip}; the answer has the request's content type
 * (uncompressed). Errors are the one JSON body of {@link ApiError} with the HTTP status Connect
 * prescribes for its code; unknown methods of a served service are {@code unimplemented}.
 */
public final class ConnectRoutes {
  /** Largest request body read (compressed or not). */
  static final int MAX_BODY_BYTES = 16 << 20;

  static final MediaType PROTO = MediaType.parseMediaType("application/proto");

  private ConnectRoutes() {}

  public static RouterFunction<ServerResponse> of(List<? extends UnaryMethod<?, ?>> methods) {
    RouterFunctions.Builder b = RouterFunctions.route();
    Set<String> services = new LinkedHashSet<>();
    for (UnaryMethod<?, ?> m : methods) {
      b.POST(m.path(), request -> handle(m, request));
      services.add(m.service());
    }
    for (String service : services) {
      b.route(
          RequestPredicates.path("/" + service + "/*"),
          request ->
              ApiErrorResponses.connect(
                  new ApiError(
                      ApiError.Kind.UNIMPLEMENTED,
                      "unimplemented",
                      request.method().name().equals("POST")
                          ? request.path() + " is not implemented by Hearth"
                          : "Connect unary calls are POST requests",
                      null,
                      -1,
                      null,
                      0)));
    }
    return b.build();
  }

  private static <Q extends Message, R extends Message> Mono<ServerResponse> handle(
      UnaryMethod<Q, R> method, ServerRequest request) {
    String tenant = Tenants.of(request.exchange());
    MediaType type = request.headers().contentType().orElse(null);
    boolean json = type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type);
    if (!json && (type == null || !PROTO.isCompatibleWith(type))) {
      return ApiErrorResponses.connect(
          new ApiError(
              ApiError.Kind.UNSUPPORTED_MEDIA_TYPE,
              "unsupported_media_type",
              "Content-Type must be application/proto or application/json, not " + type,
              "Content-Type",
              -1,
              null,
              0));
    }
    boolean gzip =
        "gzip".equalsIgnoreCase(request.headers().firstHeader(HttpHeaders.CONTENT_ENCODING));
    return DataBufferUtils.join(
            request.body(org.springframework.web.reactive.function.BodyExtractors.toDataBuffers()),
            MAX_BODY_BYTES)
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.readableByteCount()];
              buffer.read(bytes);
              DataBufferUtils.release(buffer);
              return bytes;
            })
        .defaultIfEmpty(new byte[0])
        .map(body -> decode(method.requestPrototype(), gzip ? gunzip(body) : body, json))
        .flatMap(message -> method.invoke(tenant, message))
        .flatMap(
            response ->
                ServerResponse.ok()
                    .contentType(json ? MediaType.APPLICATION_JSON : PROTO)
                    .bodyValue(json ? printJson(response) : response.toByteArray()))
        .onErrorResume(
            e ->
                ApiErrorResponses.connect(
                    ApiError.of(
                        e instanceof DataBufferLimitException
                            ? new dev.hearth.ingest.IngestException(
                                dev.hearth.ingest.IngestException.Kind.TOO_LARGE,
                                "too_large",
                                "request body is larger than " + (MAX_BODY_BYTES >> 20) + " MiB")
                            : e,
                        GrpcCalls.context(method, tenant))));
  }

  @SuppressWarnings("unchecked")
  private static <Q extends Message> Q decode(Q prototype, byte[] body, boolean json) {
    try {
      if (json) {
        Message.Builder b = prototype.newBuilderForType();
        JsonFormat.parser()
            .ignoringUnknownFields()
            .merge(body.length == 0 ? "{}" : new String(body, StandardCharsets.UTF_8), b);
        return (Q) b.build();
      }
      return (Q) prototype.getParserForType().parseFrom(body);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new dev.hearth.query.InvalidQueryException(
          "body",
          "the body is not a valid "
              + (json ? "JSON " : "protobuf ")
              + prototype.getDescriptorForType().getFullName());
    }
  }

  private static byte[] gunzip(byte[] body) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      byte[] out = in.readNBytes(MAX_BODY_BYTES + 1);
      if (out.length > MAX_BODY_BYTES) {
        throw new dev.hearth.ingest.IngestException(
            dev.hearth.ingest.IngestException.Kind.TOO_LARGE,
            "too_large",
            "request body is larger than " + (MAX_BODY_BYTES >> 20) + " MiB uncompressed");
      }
      return out;
    } catch (IOException e) {
      throw new dev.hearth.query.InvalidQueryException(
          "body", "Content-Encoding is gzip but the body is not gzip");
    }
  }

  private static String printJson(Message m) {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
