package dev.hearth.server.symbols;

import dev.hearth.symbols.SymbolsListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Symbolisation metrics: {@code hearth_symbols_frames_total{outcome}} (distinct frames by how they
 * came out: symbolized, stored, no_symbol, no_debug_file, corrupt, symbolizer_failed,
 * source_failed) and {@code hearth_symbols_lookups_total{source,result}} (debug file lookups).
 */
final class MicrometerSymbolsListener implements SymbolsListener {
  private final MeterRegistry registry;

  MicrometerSymbolsListener(MeterRegistry registry) {
    this.registry = registry;
    for (Outcome o : Outcome.values()) {
      counter(o); // every outcome shows on /metrics from the start, at 0
    }
  }

  private Counter counter(Outcome outcome) {
    return Counter.builder("hearth.symbols.frames")
        .description("Distinct frames sent unsymbolised, by how naming them came out")
        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
        .register(registry);
  }

  @Override
  public void frames(Outcome outcome, long frames) {
    if (frames > 0) {
      counter(outcome).increment(frames);
    }
  }

  @Override
  public void lookup(String source, String result) {
    Counter.builder("hearth.symbols.lookups")
        .description("Debug file lookups by source and result (found, missing, failed)")
        .tag("source", source)
        .tag("result", result)
        .register(registry)
        .increment();
  }
}
