package dev.hearth.storage;

import dev.hearth.model.LabelSet;

/**
 * The total of one group over one step of a range.
 *
 * @param group the values of the group-by labels (empty without grouping)
 * @param stepStartNanos start of the step, Unix nanoseconds, a multiple of the step
 * @param value sum of sample values in the step
 * @param count sum of sample counts in the step
 * @param profiles how many distinct (series, profile time) pairs contributed: what a gauge type
 *     divides by to average
 */
public record StepTotal(
    LabelSet group, long stepStartNanos, long value, long count, long profiles) {}
