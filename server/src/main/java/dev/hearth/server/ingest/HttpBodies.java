package dev.hearth.server.ingest;

import dev.hearth.ingest.InFlightBytes;
import dev.hearth.ingest.IngestCore;
import dev.hearth.ingest.IngestException;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import java.util.function.Function;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/**
 * Reads request bodies under the ingest limits: the in-flight budget is taken before a byte is read
 * (by {@code Content-Length}, or the body limit when the client streams), a declared or streamed
 * body over {@code max-body-size} is refused with 413 without being buffered, and a {@code
 * Content-Encoding: gzip} body is decompressed while counting against {@code
 * max-decompressed-size}.
 */
final class HttpBodies {
  private HttpBodies() {}

  /**
   * Reads the body and hands it to {@code then}; the permit is released when {@code then}'s result
   * completes.
   */
  static <T> Mono<T> read(
      ServerRequest request,
      IngestCore core,
      String transport,
      String tenant,
      Function<Body, Mono<T>> then) {
    return Mono.defer(
        () -> {
          long max = core.limits().maxBodyBytes();
          long declared = request.headers().contentLength().orElse(-1);
          if (declared > max) {
            return Mono.error(tooLarge(declared, max));
          }
          InFlightBytes.Permit permit =
              core.admit(transport, tenant, declared >= 0 ? declared : max);
          return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), (int) max)
              .map(
                  buffer -> {
                    try {
                      byte[] bytes = new byte[buffer.readableByteCount()];
                      buffer.read(bytes);
                      return bytes;
                    } finally {
                      DataBufferUtils.release(buffer);
                    }
                  })
              .defaultIfEmpty(new byte[0])
              .onErrorMap(DataBufferLimitException.class, e -> tooLarge(-1, max))
              .map(bytes -> new Body(decoded(request, bytes, core, permit), permit))
              .flatMap(then)
              .doFinally(s -> permit.close());
        });
  }

  /** A body read under a permit. */
  record Body(byte[] bytes, InFlightBytes.Permit permit) {}

  private static byte[] decoded(
      ServerRequest request, byte[] bytes, IngestCore core, InFlightBytes.Permit permit) {
    String encoding = request.headers().firstHeader(HttpHeaders.CONTENT_ENCODING);
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      return bytes;
    }
    if (!encoding.equalsIgnoreCase("gzip")) {
      throw IngestException.unsupported(
          "Content-Encoding '" + encoding + "' is not supported; send gzip or identity");
    }
    if (!Gzip.isGzip(bytes)) {
      throw IngestException.invalid("decode", "Content-Encoding is gzip but the body is not");
    }
    try {
      byte[] plain = Gzip.maybeGunzip(bytes, core.limits().maxDecompressedBytes());
      permit.grow(plain.length);
      return plain;
    } catch (ProfileDecodeException e) {
      throw e.tooLarge()
          ? IngestException.tooLarge(String.valueOf(e.getMessage()))
          : IngestException.invalid("decode", String.valueOf(e.getMessage()));
    }
  }

  private static IngestException tooLarge(long size, long max) {
    return IngestException.tooLarge(
        "request body is "
            + (size >= 0 ? size + " bytes" : "larger than the limit")
            + "; the limit (hearth.ingest.max-body-size) is "
            + max
            + " bytes");
  }
}
