package dev.hearth.symbols;

/** What the {@link Symbolizer} reports for metrics. Implementations must be quick and not throw. */
public interface SymbolsListener {

  /** How frames asked for came out. */
  enum Outcome {
    /** named from a debug file just now */
    SYMBOLIZED,
    /** named from the stored frames (another server or before a restart did the work) */
    STORED,
    /** the debug file has no symbol at the address */
    NO_SYMBOL,
    /** no source has a debug file for the build id */
    NO_DEBUG_FILE,
    /** the debug file is not sound ELF, or llvm-symbolizer could not read it */
    CORRUPT,
    /** llvm-symbolizer is not installed, died or stalled */
    SYMBOLIZER_FAILED,
    /** a source could not be asked (debuginfod unreachable, unreadable directory) */
    SOURCE_FAILED
  }

  /** {@code frames} frames (distinct build id and address) had {@code outcome}. */
  void frames(Outcome outcome, long frames);

  /** A debug file lookup in {@code source}: found, missing or failed. */
  void lookup(String source, String result);

  SymbolsListener NONE =
      new SymbolsListener() {
        @Override
        public void frames(Outcome outcome, long frames) {}

        @Override
        public void lookup(String source, String result) {}
      };
}
