package dev.hearth.storage;

/**
 * One stack of a merge as the {@code stacks} table holds it: ids only, no frames rebuilt.
 *
 * @param stackId the stack's content-hash id
 * @param value sum of sample values, in the profile type's unit
 * @param count sum of sample counts
 * @param functionIds function ids, leaf first, inlined frames expanded (innermost first within a
 *     location)
 * @param locationIds location ids, leaf first
 * @param found false when the stack's dictionary row is not visible (both arrays are then empty)
 */
public record StackFrames(
    long stackId, long value, long count, long[] functionIds, long[] locationIds, boolean found) {}
