package dev.hearth.symbols;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Somewhere debug files are found by GNU build id. Calls may block (a download); the {@link
 * Symbolizer} makes them off the query's thread and bounds how long a query waits.
 */
public interface DebugFileSource {

  /** The source's name as metrics tag it: {@code upload}, {@code directory}, {@code debuginfod}. */
  String name();

  /**
   * The debug file of {@code buildId} (canonical, see {@link BuildIds}) for {@code tenant}, or null
   * when this source has none.
   *
   * @throws IOException when the source could not be asked (unreachable server, unreadable file)
   */
  @Nullable DebugFile find(String tenant, String buildId) throws IOException;

  /**
   * True when finding is cheap (a file lookup, no network): stored frames are checked against it.
   */
  default boolean isLocal() {
    return true;
  }
}
