package dev.hearth.storage;

/**
 * A stack's summed value and count over a selection.
 *
 * @param stackId the stack's content-hash id
 * @param value sum of sample values, in the profile type's unit
 * @param count sum of sample counts
 */
public record StackValue(long stackId, long value, long count) {}
