package dev.hearth.agent.profile;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import java.util.List;
import java.util.Map;

/**
 * One interval's profiles, one per series, and for each series the OTLP resource attributes that
 * are not series labels (OS, architecture, runtime, service version, environment).
 *
 * @param profiles the profiles
 * @param resourceAttributes extra resource attributes per label set
 */
public record Batch(List<Profile> profiles, Map<LabelSet, Map<String, String>> resourceAttributes) {
  public boolean isEmpty() {
    return profiles.isEmpty();
  }

  /** Samples in the batch. */
  public long sampleCount() {
    long n = 0;
    for (Profile p : profiles) {
      n += p.totalCount();
    }
    return n;
  }
}
