package dev.hearth.ingest;

import dev.hearth.model.Function;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Location;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates one decoded profile against the per-profile limits and normalises it: series labels
 * merged and checked, internal {@code __…__} labels dropped, {@code service_name} defaulted to the
 * executable's name ({@code process_executable_name}, as Hearth's agent does), else {@value
 * #UNKNOWN_SERVICE}, a missing time set to now, times checked against the {@link TimeWindow},
 * stacks cut to the depth limit below a {@value #TRUNCATED} marker frame. Label names are kept as
 * sent ({@code otel.scope.name} stays dotted, as in Pyroscope 2).
 */
final class Normaliser {
  static final String UNKNOWN_SERVICE = "unknown_service";
  static final String TRUNCATED = "[truncated]";
  private static final Location TRUNCATED_FRAME = Location.of(Function.of(TRUNCATED));

  private final IngestLimits limits;
  private final TimeWindow window;

  Normaliser(IngestLimits limits) {
    this.limits = limits;
    this.window = new TimeWindow(limits.retention(), limits.maxFutureSkew());
  }

  /** A normalised profile and how many of its stacks were truncated. */
  record Normalised(Profile profile, int truncatedStacks) {}

  /** Throws a 400 {@link IngestException} naming the limit or label at fault. */
  Normalised normalise(Decoder.Decoded decoded) {
    Profile p = decoded.profile();
    if (p.samples().size() > limits.maxSamplesPerProfile()) {
      throw IngestException.invalid(
          "samples_per_profile",
          "profile "
              + p.type()
              + " has "
              + p.samples().size()
              + " samples; the limit (hearth.ingest.max-samples-per-profile) is "
              + limits.maxSamplesPerProfile());
    }
    Map<String, String> labels = new LinkedHashMap<>(p.labels().asMap());
    labels.putAll(decoded.extraLabels());
    labels.keySet().removeIf(name -> name.startsWith("__"));
    String service = labels.get("service_name");
    if (service == null || service.isBlank()) {
      // As Hearth's agent names a process it has no configured name for: by its executable.
      String executable = labels.get("process_executable_name");
      labels.put(
          "service_name",
          executable == null || executable.isBlank() ? UNKNOWN_SERVICE : executable);
    }
    LabelSet set = labels(labels, p);
    long now = System.currentTimeMillis() * 1_000_000L;
    long time = p.timeNanos() > 0 ? p.timeNanos() : now;
    int[] truncated = {0};
    List<Sample> samples = truncate(p.samples(), truncated);
    Profile out =
        new Profile(p.type(), set, time, p.durationNanos(), p.period(), p.temporality(), samples);
    window.check(out, decoded.timeField(), now);
    return new Normalised(out, truncated[0]);
  }

  private LabelSet labels(Map<String, String> labels, Profile p) {
    labels.values().removeIf(String::isEmpty);
    if (labels.size() > limits.maxLabelsPerSeries()) {
      throw IngestException.invalid(
          "labels_per_series",
          "series of profile "
              + p.type()
              + " has "
              + labels.size()
              + " labels; the limit (hearth.ingest.max-labels-per-series) is "
              + limits.maxLabelsPerSeries());
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String name = e.getKey();
      if (name.length() > limits.maxLabelNameLength()) {
        throw IngestException.invalid(
            "label_name_length",
            "label name '"
                + name.substring(0, Math.min(32, name.length()))
                + "…' is "
                + name.length()
                + " characters; the limit (hearth.ingest.max-label-name-length) is "
                + limits.maxLabelNameLength());
      }
      if (!LabelSet.isValidName(name)) {
        throw IngestException.invalid(
            "invalid_label_name",
            "label name '"
                + LabelSet.printable(name)
                + "' is invalid: names are not empty and hold no control characters");
      }
      if (e.getValue().length() > limits.maxLabelValueLength()) {
        throw IngestException.invalid(
            "label_value_length",
            "value of label '"
                + name
                + "' is "
                + e.getValue().length()
                + " characters; the limit (hearth.ingest.max-label-value-length) is "
                + limits.maxLabelValueLength());
      }
    }
    return LabelSet.of(labels);
  }

  private List<Sample> truncate(List<Sample> samples, int[] truncated) {
    int max = limits.maxStackDepth();
    boolean any = false;
    for (Sample s : samples) {
      if (s.stack().depth() > max) {
        any = true;
        break;
      }
    }
    if (!any) {
      return samples;
    }
    Map<Stack, Stack> cut = new HashMap<>();
    List<Sample> out = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      if (s.stack().depth() <= max) {
        out.add(s);
        continue;
      }
      truncated[0]++;
      Stack shorter =
          cut.computeIfAbsent(
              s.stack(),
              st -> {
                // Leaf first: keep the root-most frames, so the tree above the cut stays intact,
                // and mark where the cut is.
                List<Location> locations = st.locations();
                List<Location> kept = new ArrayList<>(max);
                kept.add(TRUNCATED_FRAME);
                kept.addAll(locations.subList(locations.size() - (max - 1), locations.size()));
                return Stack.of(kept);
              });
      out.add(new Sample(shorter, s.value(), s.count(), s.attributes(), s.timestampNanos()));
    }
    return out;
  }
}
