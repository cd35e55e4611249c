package dev.hearth.ingest;

import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps the sample types other OTLP producers send onto Hearth's own, so one host's CPU is one
 * profile type whoever profiled it (the table is in {@code ingest/README.md}):
 *
 * <ul>
 *   <li>{@code samples/count} with period {@code cpu/nanoseconds} (the OpenTelemetry eBPF
 *       profiler's CPU sampling) becomes {@code process_cpu:cpu:nanoseconds:cpu:nanoseconds}, each
 *       sample worth {@code count × period} nanoseconds and counting {@code count} samples — unless
 *       the same request also carries that CPU type for the series (a pprof converted to OTLP
 *       carries both, as Go's profiles do), when it is left as it is;
 *   <li>{@code events/count} with no family name (the eBPF profiler's probes) is named {@code
 *       probe};
 *   <li>{@code off_cpu/nanoseconds} is already Hearth's off-CPU type by name; everything else is
 *       kept as sent.
 * </ul>
 */
final class OtlpTypes {
  private static final ProfileType PROBE =
      new ProfileType("probe", "events", "count", "events", "count");

  private OtlpTypes() {}

  static List<Profile> map(List<Profile> profiles) {
    Set<String> withCpuTime = new HashSet<>();
    for (Profile p : profiles) {
      if (p.type().equals(ProfileType.CPU)) {
        withCpuTime.add(key(p));
      }
    }
    List<Profile> out = new ArrayList<>(profiles.size());
    for (Profile p : profiles) {
      out.add(map(p, withCpuTime));
    }
    return out;
  }

  private static Profile map(Profile p, Set<String> withCpuTime) {
    ProfileType t = p.type();
    if (isCpuSamples(t) && p.period() > 0 && !withCpuTime.contains(key(p))) {
      List<Sample> samples = new ArrayList<>(p.samples().size());
      for (Sample s : p.samples()) {
        long n = Math.max(0, s.value());
        samples.add(
            new Sample(
                s.stack(),
                Math.multiplyExact(n, p.period()),
                n,
                s.attributes(),
                s.timestampNanos()));
      }
      return new Profile(
          ProfileType.CPU,
          p.labels(),
          p.timeNanos(),
          p.durationNanos(),
          p.period(),
          p.temporality(),
          samples);
    }
    if (t.name().equals("unknown")
        && t.sampleType().equals("events")
        && t.sampleUnit().equals("count")) {
      return new Profile(
          PROBE,
          p.labels(),
          p.timeNanos(),
          p.durationNanos(),
          p.period(),
          p.temporality(),
          p.samples());
    }
    return p;
  }

  private static boolean isCpuSamples(ProfileType t) {
    return t.sampleType().equals("samples")
        && t.sampleUnit().equals("count")
        && t.periodType().equals("cpu")
        && t.periodUnit().equals("nanoseconds");
  }

  private static String key(Profile p) {
    return p.labels() + "@" + p.timeNanos();
  }
}
