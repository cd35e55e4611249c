package dev.hearth.storage;

/**
 * The combined value of the stacks that contain one function, over one step.
 *
 * @param functionId the function's content-hash id
 * @param stepStartNanos start of the step, Unix nanoseconds, a multiple of the step
 * @param value combined value in the profile type's unit
 */
public record FunctionStepValue(long functionId, long stepStartNanos, long value) {}
