package dev.hearth.ingest;

import dev.hearth.model.ProfileType;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One raw profile payload as a transport received it, gzip or plain (sniffed). Labels are as the
 * client named them; the core validates them.
 */
public sealed interface Payload {

  /** Bytes the payload holds, before decompression. */
  long size();

  /** An OTLP {@code ExportProfilesServiceRequest}, binary protobuf or OTLP/JSON. */
  record Otlp(byte[] body, boolean json) implements Payload {
    @Override
    public long size() {
      return body.length;
    }
  }

  /**
   * A pprof profile, from Pyroscope's {@code /ingest} or {@code push.v1}.
   *
   * @param profile the pprof bytes
   * @param previous for cumulative types, the profile before (Pyroscope's {@code prev_profile});
   *     the stored value is {@code profile − previous}
   * @param labels series labels ({@code service_name}, …)
   * @param name profile family to use instead of guessing one ({@code __name__}), or null
   * @param cumulativeTypes sample types whose values are counters since process start
   * @param displayNames sample types to rename, as Pyroscope's {@code sample_type_config} says
   * @param fromNanos the upload's start, used when the profile has no time; 0 for now
   * @param untilNanos the upload's end, used when the profile has no duration; 0 when unknown
   */
  record Pprof(
      byte[] profile,
      byte @Nullable [] previous,
      Map<String, String> labels,
      @Nullable String name,
      Set<String> cumulativeTypes,
      Map<String, String> displayNames,
      long fromNanos,
      long untilNanos)
      implements Payload {
    @Override
    public long size() {
      return profile.length + (previous == null ? 0 : previous.length);
    }
  }

  /**
   * Folded stacks ({@code a;b;c 12} per line).
   *
   * @param type the type the counts measure
   * @param valuePerSample what one counted sample is worth in the type's unit
   */
  record Folded(
      byte[] body,
      ProfileType type,
      long valuePerSample,
      Map<String, String> labels,
      long fromNanos,
      long untilNanos)
      implements Payload {
    @Override
    public long size() {
      return body.length;
    }
  }

  /**
   * A JFR recording with Pyroscope's optional {@code LabelsSnapshot}, whose context labels become
   * series labels as Pyroscope makes them.
   *
   * @param periodNanos the CPU sampling period when the recording does not say
   */
  record Jfr(
      byte[] recording,
      byte @Nullable [] labelsSnapshot,
      Map<String, String> labels,
      long periodNanos)
      implements Payload {
    @Override
    public long size() {
      return recording.length + (labelsSnapshot == null ? 0 : labelsSnapshot.length);
    }
  }
}
