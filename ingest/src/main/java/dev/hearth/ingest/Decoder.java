package dev.hearth.ingest;

import dev.hearth.ingest.pyroscope.JfrContexts;
import dev.hearth.model.Attribute;
import dev.hearth.model.Deltas;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.folded.FoldedCodec;
import dev.hearth.model.codec.jfr.JfrDecoder;
import dev.hearth.model.codec.jfr.JfrOptions;
import dev.hearth.model.codec.otlp.OtlpDecoder;
import dev.hearth.model.codec.pprof.PprofDecoder;
import dev.hearth.model.codec.pprof.PprofOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns payloads into model profiles through the model's codecs. Every payload is gunzipped here
 * first, streamed against the decompressed-size limit, so a gzip bomb stops at the limit and the
 * in-flight permit grows by what was really decompressed.
 */
final class Decoder {
  private final long maxDecompressed;
  private final long maxRequestMemory;

  Decoder(long maxDecompressed, long maxRequestMemory) {
    this.maxDecompressed = maxDecompressed;
    this.maxRequestMemory = maxRequestMemory;
  }

  /**
   * A decoded profile and the labels the payload gave it (to be merged and validated by the core).
   *
   * @param timeField where the profile's time came from, named in refusals ({@code time_nanos})
   */
  record Decoded(Profile profile, Map<String, String> extraLabels, String timeField) {}

  List<Decoded> decode(Payload payload, InFlightBytes.Permit permit) {
    try {
      return switch (payload) {
        case Payload.Otlp o -> otlp(o, permit);
        case Payload.Pprof p -> pprof(p, permit);
        case Payload.Folded f -> folded(f, permit);
        case Payload.Jfr j -> jfr(j, permit);
      };
    } catch (ProfileDecodeException e) {
      if (e.tooLarge()) {
        throw IngestException.tooLarge(e.getMessage());
      }
      throw IngestException.invalid("decode", String.valueOf(e.getMessage()));
    }
  }

  private byte[] plain(byte[] data, InFlightBytes.Permit permit) throws ProfileDecodeException {
    if (data.length == 0) {
      throw IngestException.invalid("empty_body", "the profile payload is empty");
    }
    byte[] plain = Gzip.maybeGunzip(data, maxDecompressed);
    if (plain != data) {
      permit.grow(plain.length);
    }
    return plain;
  }

  private List<Decoded> otlp(Payload.Otlp o, InFlightBytes.Permit permit)
      throws ProfileDecodeException {
    byte[] plain = plain(o.body(), permit);
    List<Profile> profiles =
        o.json()
            ? OtlpDecoder.decodeJson(plain, maxDecompressed)
            : OtlpDecoder.decode(plain, maxDecompressed);
    return OtlpTypes.map(profiles).stream()
        .map(p -> new Decoded(p, Map.of(), "time_unix_nano"))
        .toList();
  }

  private List<Decoded> pprof(Payload.Pprof p, InFlightBytes.Permit permit)
      throws ProfileDecodeException {
    PprofOptions options = new PprofOptions(p.name(), p.cumulativeTypes(), maxDecompressed);
    List<Profile> current = PprofDecoder.decode(plain(p.profile(), permit), options);
    Map<ProfileType, Profile> previous = new HashMap<>();
    byte[] prevBytes = p.previous();
    if (prevBytes != null && prevBytes.length > 0) {
      for (Profile prev : PprofDecoder.decode(plain(prevBytes, permit), options)) {
        previous.put(prev.type(), prev);
      }
    }
    List<Decoded> out = new ArrayList<>(current.size());
    for (Profile profile : current) {
      Profile prev = previous.get(profile.type());
      if (prev != null && profile.temporality() == Temporality.CUMULATIVE) {
        profile = Deltas.between(prev, profile);
      }
      profile = times(profile, p.fromNanos(), p.untilNanos());
      String rename = p.displayNames().get(profile.type().sampleType());
      if (rename != null) {
        ProfileType t = profile.type();
        profile =
            new Profile(
                safeType(t.name(), rename, t.sampleUnit(), t.periodType(), t.periodUnit()),
                profile.labels(),
                profile.timeNanos(),
                profile.durationNanos(),
                profile.period(),
                profile.temporality(),
                profile.samples());
      }
      out.add(
          new Decoded(
              profile, p.labels(), p.fromNanos() > 0 ? "time_nanos or from" : "time_nanos"));
    }
    return out;
  }

  private static ProfileType safeType(
      String name, String sampleType, String unit, String periodType, String periodUnit) {
    try {
      return new ProfileType(name, sampleType, unit, periodType, periodUnit);
    } catch (IllegalArgumentException e) {
      throw IngestException.invalid("invalid_sample_type_config", e.getMessage());
    }
  }

  private List<Decoded> folded(Payload.Folded f, InFlightBytes.Permit permit)
      throws ProfileDecodeException {
    byte[] plain = plain(f.body(), permit);
    long from = f.fromNanos() > 0 ? f.fromNanos() : System.currentTimeMillis() * 1_000_000L;
    long duration = f.untilNanos() > from ? f.untilNanos() - from : 0;
    Profile profile;
    try {
      profile =
          FoldedCodec.decode(plain, f.type(), f.valuePerSample(), from, duration, maxRequestMemory);
    } catch (ProfileDecodeException e) {
      if (e.tooLarge()) {
        throw IngestException.tooLarge(
            e.getMessage() + " (hearth.ingest.max-request-memory): send fewer distinct stacks");
      }
      throw e;
    }
    return List.of(new Decoded(profile, f.labels(), "from"));
  }

  private List<Decoded> jfr(Payload.Jfr j, InFlightBytes.Permit permit)
      throws ProfileDecodeException {
    JfrOptions options =
        JfrOptions.defaults()
            .withFallbackPeriod(Duration.ofNanos(j.periodNanos()))
            .withMaxDecompressedBytes(maxDecompressed)
            .withThreadAttributes(false);
    byte[] labels = j.labelsSnapshot();
    if (labels != null && labels.length > 0) {
      options = options.withContextAttributes(JfrContexts.parse(plain(labels, permit)));
    }
    List<Decoded> out = new ArrayList<>();
    for (Profile profile : JfrDecoder.decode(plain(j.recording(), permit), options)) {
      out.addAll(splitByContext(profile, j.labels()));
    }
    return out;
  }

  /** One profile per distinct set of context labels, those labels added to the series'. */
  static List<Decoded> splitByContext(Profile profile, Map<String, String> labels) {
    Map<Map<String, String>, List<Sample>> groups = new LinkedHashMap<>();
    for (Sample s : profile.samples()) {
      Map<String, String> context = new LinkedHashMap<>();
      List<Attribute> rest = new ArrayList<>();
      for (Attribute a : s.attributes()) {
        if (a.key().startsWith(JfrContexts.PREFIX) && a.str() != null) {
          context.put(a.key().substring(JfrContexts.PREFIX.length()), a.str());
        } else {
          rest.add(a);
        }
      }
      Sample plain =
          rest.size() == s.attributes().size()
              ? s
              : new Sample(s.stack(), s.value(), s.count(), rest, s.timestampNanos());
      groups.computeIfAbsent(context, k -> new ArrayList<>()).add(plain);
    }
    List<Decoded> out = new ArrayList<>(groups.size());
    groups.forEach(
        (context, samples) -> {
          Map<String, String> all = new LinkedHashMap<>(labels);
          all.putAll(context);
          out.add(new Decoded(profile.withSamples(samples), all, "the JFR recording's start"));
        });
    return out;
  }

  private static Profile times(Profile p, long from, long until) {
    if (p.timeNanos() != 0 || from <= 0) {
      return p;
    }
    long duration = p.durationNanos() != 0 || until <= from ? p.durationNanos() : until - from;
    return new Profile(
        p.type(), p.labels(), from, duration, p.period(), p.temporality(), p.samples());
  }
}
