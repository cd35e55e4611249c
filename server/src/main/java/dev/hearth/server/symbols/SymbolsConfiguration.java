package dev.hearth.server.symbols;

import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.query.FrameSymbolizer;
import dev.hearth.server.config.ConfigurationCheck;
import dev.hearth.server.config.SymbolsProperties;
import dev.hearth.storage.ProfileStore;
import dev.hearth.symbols.DebugDirectories;
import dev.hearth.symbols.DebugFileSource;
import dev.hearth.symbols.DebuginfodClient;
import dev.hearth.symbols.LlvmSymbolizer;
import dev.hearth.symbols.Symbolizer;
import dev.hearth.symbols.UploadedDebugFiles;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * The symbolizer and its sources, in the order they are asked: uploads (per tenant), local
 * directories, debuginfod. The query engine gets it as its {@link FrameSymbolizer}.
 */
@Configuration(proxyBeanMethods = false)
public class SymbolsConfiguration {
  private static final Logger log = LoggerFactory.getLogger(SymbolsConfiguration.class);

  @Bean
  UploadedDebugFiles uploadedDebugFiles(SymbolsProperties symbols) {
    ConfigurationCheck.require(symbols.problems());
    return new UploadedDebugFiles(
        Path.of(symbols.dir(), "uploads"), symbols.maxUploadSize().toBytes());
  }

  @Bean(destroyMethod = "close")
  Symbolizer symbolizer(
      SymbolsProperties symbols,
      UploadedDebugFiles uploads,
      ProfileStore store,
      MeterRegistry registry) {
    List<DebugFileSource> sources = new ArrayList<>();
    sources.add(uploads);
    if (!symbols.directories().isEmpty()) {
      sources.add(
          new DebugDirectories(
              symbols.directories().stream().map(Path::of).toList(), symbols.rescanInterval()));
    }
    DebuginfodClient debuginfod =
        new DebuginfodClient(
            symbols.debuginfodUrls(),
            Path.of(symbols.dir(), "debuginfod"),
            symbols.debuginfodTimeout(),
            symbols.maxDownloadSize().toBytes());
    if (!debuginfod.isEmpty()) {
      sources.add(debuginfod);
    }
    String command = LlvmSymbolizer.locate(symbols.symbolizer());
    if (command == null && symbols.enabled()) {
      log.warn(
          "{} not found: native frames sent unsymbolised stay file+0xoffset (apt-get install llvm)",
          symbols.symbolizer());
    }
    return new Symbolizer(
        sources,
        command == null ? null : new LlvmSymbolizer(command, symbols.symbolizerTimeout()),
        store.symbols(),
        new MicrometerSymbolsListener(registry),
        new Symbolizer.Settings(
            symbols.queryWait(),
            symbols.cacheSize(),
            symbols.missingRetry(),
            symbols.symbolizerTimeout(),
            symbols.threads()));
  }

  @Bean
  FrameSymbolizer frameSymbolizer(SymbolsProperties symbols, Symbolizer symbolizer) {
    if (!symbols.enabled()) {
      return FrameSymbolizer.NONE;
    }
    return new FrameSymbolizer() {
      @Override
      public Mono<Map<Location, List<Line>>> symbolize(String tenant, Collection<Location> frames) {
        return symbolizer.symbolize(tenant, frames);
      }

      @Override
      public long generation() {
        return symbolizer.generation();
      }
    };
  }
}
