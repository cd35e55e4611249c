package dev.hearth.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Server-side symbolisation: where debug files come from and how much work a query may wait for.
 *
 * @param enabled whether frames sent as build id + address are named at query time
 * @param dir where uploaded debug files and debuginfod downloads are kept
 * @param directories local debug directories: {@code .build-id/xx/rest.debug} trees or plain ELF
 * @param debuginfodUrls debuginfod servers, space-separated, as {@code DEBUGINFOD_URLS} lists them
 * @param symbolizer the {@code llvm-symbolizer} executable, a name on {@code PATH} or a path
 * @param maxUploadSize largest debug file the upload API accepts
 * @param maxDownloadSize largest debug file taken from a debuginfod server
 * @param debuginfodTimeout longest one debuginfod request (with its download) may take
 * @param symbolizerTimeout longest llvm-symbolizer may take for one chunk of 128 addresses
 * @param queryWait longest a query waits for frames being symbolised
 * @param cacheSize symbolised frames kept in memory
 * @param missingRetry how long a build id no source has is not looked up again
 * @param rescanInterval how often, at most, local directories are re-indexed on a miss
 * @param threads threads finding debug files and running the symboliser
 */
@ConfigurationProperties("hearth.symbols")
public record SymbolsProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("./data/symbols") String dir,
    @DefaultValue({}) List<String> directories,
    @DefaultValue("") String debuginfodUrls,
    @DefaultValue("llvm-symbolizer") String symbolizer,
    @DefaultValue("512MB") DataSize maxUploadSize,
    @DefaultValue("1GB") DataSize maxDownloadSize,
    @DefaultValue("30s") Duration debuginfodTimeout,
    @DefaultValue("30s") Duration symbolizerTimeout,
    @DefaultValue("5s") Duration queryWait,
    @DefaultValue("1000000") long cacheSize,
    @DefaultValue("5m") Duration missingRetry,
    @DefaultValue("1m") Duration rescanInterval,
    @DefaultValue("2") int threads) {

  /** Every problem with these settings, each naming its key. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (dir.isBlank()) {
      out.add("hearth.symbols.dir must name a directory");
    }
    try {
      dev.hearth.symbols.DebuginfodClient.parse(debuginfodUrls);
    } catch (IllegalArgumentException e) {
      out.add("hearth.symbols.debuginfod-urls: " + e.getMessage());
    }
    positive(out, "max-upload-size", maxUploadSize.toBytes());
    positive(out, "max-download-size", maxDownloadSize.toBytes());
    positive(out, "debuginfod-timeout", debuginfodTimeout.toMillis());
    positive(out, "symbolizer-timeout", symbolizerTimeout.toMillis());
    positive(out, "cache-size", cacheSize);
    positive(out, "threads", threads);
    if (queryWait.isNegative()) {
      out.add("hearth.symbols.query-wait must not be negative (is " + queryWait + ")");
    }
    if (missingRetry.isNegative() || rescanInterval.isNegative()) {
      out.add("hearth.symbols.missing-retry and rescan-interval must not be negative");
    }
    return out;
  }

  private static void positive(List<String> out, String key, long value) {
    if (value <= 0) {
      out.add("hearth.symbols." + key + " must be positive (is " + value + ")");
    }
  }
}
