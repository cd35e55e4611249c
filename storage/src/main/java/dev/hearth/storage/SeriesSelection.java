package dev.hearth.storage;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.ProfileType;
import java.util.List;

/**
 * Which series and time range a read covers.
 *
 * @param tenant whose data
 * @param type the profile type
 * @param matchers label matchers, all of which a series must satisfy; empty selects every series
 * @param fromNanos start of the range, Unix nanoseconds, inclusive
 * @param untilNanos end of the range, Unix nanoseconds, exclusive
 */
public record SeriesSelection(
    String tenant, ProfileType type, List<LabelMatcher> matchers, long fromNanos, long untilNanos) {
  public SeriesSelection {
    matchers = List.copyOf(matchers);
    if (untilNanos <= fromNanos) {
      throw new IllegalArgumentException(
          "empty time range: until (" + untilNanos + ") must be after from (" + fromNanos + ")");
    }
  }
}
