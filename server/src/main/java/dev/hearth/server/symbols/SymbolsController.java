package dev.hearth.server.symbols;

import dev.hearth.query.json.JsonWriter;
import dev.hearth.server.config.SymbolsProperties;
import dev.hearth.server.security.Tenants;
import dev.hearth.symbols.BuildIds;
import dev.hearth.symbols.DebugFile;
import dev.hearth.symbols.Symbolizer;
import dev.hearth.symbols.UploadedDebugFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Debug files by GNU build id, per tenant: {@code PUT /api/v1/symbols/{buildId}} with the ELF file
 * (a {@code --only-keep-debug} file or an unstripped binary) as the body stores it, and frames of
 * that build id are named in every query from then on, including data sent earlier; {@code GET}
 * says whether the tenant has one (200 with what it holds, or 404), so agents upload only what is
 * missing. Both need the same credentials as every other API.
 */
@RestController
@RequestMapping("/api/v1/symbols")
public class SymbolsController {
  private final UploadedDebugFiles uploads;
  private final Symbolizer symbolizer;
  private final boolean enabled;

  public SymbolsController(
      UploadedDebugFiles uploads, Symbolizer symbolizer, SymbolsProperties properties) {
    this.uploads = uploads;
    this.symbolizer = symbolizer;
    this.enabled = properties.enabled();
  }

  /** Thrown while a body streams in, when it passes the size limit. */
  private static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @PutMapping("/{buildId}")
  public Mono<ResponseEntity<byte[]>> upload(
      @PathVariable String buildId, ServerWebExchange exchange) {
    String tenant = Tenants.of(exchange);
    String id = BuildIds.canonical(buildId);
    if (!enabled) {
      return Mono.just(error(HttpStatus.NOT_FOUND, "hearth.symbols.enabled is false"));
    }
    if (id == null) {
      return Mono.just(
          error(HttpStatus.BAD_REQUEST, "buildId '" + buildId + "' is not a hex GNU build id"));
    }
    long max = uploads.maxSize();
    AtomicLong received = new AtomicLong();
    Flux<DataBuffer> body =
        exchange
            .getRequest()
            .getBody()
            .doOnNext(
                b -> {
                  if (received.addAndGet(b.readableByteCount()) > max) {
                    DataBufferUtils.release(b);
                    throw new TooLarge();
                  }
                });
    return Mono.fromCallable(uploads::newUploadFile)
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            tmp ->
                DataBufferUtils.write(body, tmp)
                    .then(Mono.fromCallable(() -> uploads.store(tenant, id, tmp)))
                    .subscribeOn(Schedulers.boundedElastic())
                    .doFinally(s -> deleteQuietly(tmp)))
        .map(
            stored -> {
              symbolizer.invalidate(tenant, id);
              JsonWriter w =
                  new JsonWriter()
                      .beginObject()
                      .field("buildId", id)
                      .field("bytes", stored.info().size())
                      .field("symtab", stored.info().hasSymtab())
                      .field("dynsym", stored.info().hasDynsym())
                      .field("dwarf", stored.info().hasDwarf())
                      .field("replaced", stored.replaced())
                      .endObject();
              return ResponseEntity.status(stored.replaced() ? HttpStatus.OK : HttpStatus.CREATED)
                  .contentType(MediaType.APPLICATION_JSON)
                  .body(w.toBytes());
            })
        .onErrorResume(
            TooLarge.class,
            e ->
                Mono.just(
                    error(
                        HttpStatus.CONTENT_TOO_LARGE,
                        "the upload is larger than "
                            + max
                            + " bytes (hearth.symbols.max-upload-size)")))
        .onErrorResume(
            UploadedDebugFiles.RejectedUploadException.class,
            e -> Mono.just(error(HttpStatus.BAD_REQUEST, e.getMessage())));
  }

  @GetMapping("/{buildId}")
  public Mono<ResponseEntity<byte[]>> describe(
      @PathVariable String buildId, ServerWebExchange exchange) {
    String tenant = Tenants.of(exchange);
    String id = BuildIds.canonical(buildId);
    if (id == null) {
      return Mono.just(
          error(HttpStatus.BAD_REQUEST, "buildId '" + buildId + "' is not a hex GNU build id"));
    }
    return Mono.fromCallable(() -> describe(tenant, id)).subscribeOn(Schedulers.boundedElastic());
  }

  private ResponseEntity<byte[]> describe(String tenant, String id) throws IOException {
    DebugFile f = enabled ? uploads.find(tenant, id) : null;
    if (f == null) {
      return error(HttpStatus.NOT_FOUND, "no debug file uploaded for build id " + id);
    }
    JsonWriter w =
        new JsonWriter()
            .beginObject()
            .field("buildId", id)
            .field("bytes", Files.size(f.path()))
            .field("uploadedAt", f.version())
            .endObject();
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(w.toBytes());
  }

  private static ResponseEntity<byte[]> error(HttpStatus status, String message) {
    JsonWriter w =
        new JsonWriter()
            .beginObject()
            .field("error", status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT))
            .field("message", message)
            .endObject();
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(w.toBytes());
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a leftover temp file in the uploads directory is harmless; the upload's answer stands
    }
  }
}
