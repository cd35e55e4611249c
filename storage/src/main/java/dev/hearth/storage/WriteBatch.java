package dev.hearth.storage;

import dev.hearth.model.Profile;
import dev.hearth.model.Temporality;
import java.util.List;

/**
 * Profiles of one tenant, ready to store: labels normalised, values already deltas.
 *
 * @param tenant the tenant the data belongs to; never empty
 * @param profiles the profiles; each must be {@link Temporality#DELTA}
 */
public record WriteBatch(String tenant, List<Profile> profiles) {
  public WriteBatch {
    if (tenant.isEmpty()) {
      throw new IllegalArgumentException("tenant is empty");
    }
    profiles = List.copyOf(profiles);
    for (Profile p : profiles) {
      if (p.temporality() != Temporality.DELTA) {
        throw new IllegalArgumentException(
            "cumulative " + p.type() + " profile must be turned into deltas before storage");
      }
    }
  }
}
