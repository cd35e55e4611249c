package dev.hearth.storage;

import dev.hearth.model.Function;

/**
 * A stored function, as the names table of a merge reads it.
 *
 * @param function the function (its id is the content hash it was written with)
 * @param frameType the frame type of one of the function's locations in the range that has one
 *     ({@code native}, {@code jvm}, ...), or empty
 */
public record FunctionInfo(Function function, String frameType) {}
