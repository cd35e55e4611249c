package dev.hearth.model.codec;

import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a profile means, independent of how a format laid it out: its type, labels, timing, and per
 * (stack, attributes, timestamp) the summed value and count, with every frame spelled out (mapping,
 * file-relative address, each inlined line's function, file and line number). Two profiles that a
 * user could not tell apart have equal meanings.
 */
public record ProfileMeaning(
    String type,
    String labels,
    long timeNanos,
    long durationNanos,
    long period,
    Map<String, String> samples) {

  public static ProfileMeaning of(Profile profile) {
    return of(profile, true);
  }

  /** As {@link #of(Profile)}, optionally ignoring per-sample timestamps (pprof has none). */
  public static ProfileMeaning of(Profile profile, boolean withTimestamps) {
    Map<String, long[]> sums = new TreeMap<>();
    for (Sample s : profile.samples()) {
      StringBuilder key = new StringBuilder();
      for (Location l : s.stack().locations()) {
        key.append(frame(l)).append(" | ");
      }
      key.append(s.attributes());
      if (withTimestamps) {
        key.append(" @").append(s.timestampNanos());
      }
      long[] v = sums.computeIfAbsent(key.toString(), k -> new long[2]);
      v[0] += s.value();
      v[1] += s.count();
    }
    Map<String, String> samples = new TreeMap<>();
    sums.forEach(
        (k, v) -> {
          if (v[0] != 0 || v[1] != 0) {
            samples.put(k, v[0] + "/" + v[1]);
          }
        });
    return new ProfileMeaning(
        profile.type().id(),
        profile.labels().toString(),
        profile.timeNanos(),
        profile.durationNanos(),
        profile.period(),
        samples);
  }

  private static String frame(Location l) {
    StringBuilder sb = new StringBuilder();
    Mapping m = l.mapping();
    if (m != null) {
      sb.append(m.filename())
          .append('[')
          .append(m.buildId())
          .append("]+0x")
          .append(Long.toHexString(l.address()))
          .append(' ');
    }
    for (Line line : l.lines()) {
      sb.append(line.function().name())
          .append('(')
          .append(line.function().filename())
          .append(':')
          .append(line.line())
          .append(')')
          .append(' ');
    }
    return sb.toString().strip();
  }
}
