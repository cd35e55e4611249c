/**
 * The query core: selections parsed from the API's parameters, merges into flamegraphs, diffs with
 * significance, series, top functions, sandwich views, cross-category correlation and exports, over
 * the storage SPI. Plain Java and Reactor; the server's REST and gRPC transports are thin over
 * {@link dev.hearth.query.QueryEngine}.
 */
@NullMarked
package dev.hearth.query;

import org.jspecify.annotations.NullMarked;
