package dev.hearth.model;

import java.util.Objects;

/**
 * What a profile measures, written as Pyroscope writes it: {@code
 * name:sample_type:sample_unit:period_type:period_unit}, e.g. {@code
 * process_cpu:cpu:nanoseconds:cpu:nanoseconds}. A pprof with N sample types is N profile types.
 *
 * @param name profile family: {@code process_cpu}, {@code memory}, {@code off_cpu}, …
 * @param sampleType what a sample value counts: {@code cpu}, {@code alloc_space}, …
 * @param sampleUnit unit of a sample value: {@code nanoseconds}, {@code bytes}, {@code count}
 * @param periodType what the sampling period counts
 * @param periodUnit unit of the sampling period
 */
public record ProfileType(
    String name, String sampleType, String sampleUnit, String periodType, String periodUnit) {

  public static final ProfileType CPU =
      new ProfileType("process_cpu", "cpu", "nanoseconds", "cpu", "nanoseconds");
  public static final ProfileType CPU_SAMPLES =
      new ProfileType("process_cpu", "samples", "count", "cpu", "nanoseconds");
  public static final ProfileType OFF_CPU =
      new ProfileType("off_cpu", "off_cpu", "nanoseconds", "off_cpu", "nanoseconds");
  public static final ProfileType ALLOC_SPACE =
      new ProfileType("memory", "alloc_space", "bytes", "space", "bytes");
  public static final ProfileType ALLOC_OBJECTS =
      new ProfileType("memory", "alloc_objects", "count", "space", "bytes");
  public static final ProfileType INUSE_SPACE =
      new ProfileType("memory", "inuse_space", "bytes", "space", "bytes");
  public static final ProfileType INUSE_OBJECTS =
      new ProfileType("memory", "inuse_objects", "count", "space", "bytes");
  public static final ProfileType BLOCK_IO_BYTES =
      new ProfileType("block_io", "bytes", "bytes", "io", "count");
  public static final ProfileType BLOCK_IO_LATENCY =
      new ProfileType("block_io", "latency", "nanoseconds", "io", "count");

  public ProfileType {
    check("name", name);
    check("sample type", sampleType);
    check("sample unit", sampleUnit);
    check("period type", periodType);
    check("period unit", periodUnit);
  }

  private static void check(String what, String part) {
    Objects.requireNonNull(part, what);
    if (part.isEmpty()) {
      throw new IllegalArgumentException("profile type " + what + " is empty");
    }
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == ':' || c == '{' || c == '}' || Character.isWhitespace(c)) {
        throw new IllegalArgumentException(
            "profile type " + what + " '" + part + "' contains '" + c + "' at position " + i);
      }
    }
  }

  /**
   * Parses {@code name:sample_type:sample_unit:period_type:period_unit}.
   *
   * @throws IllegalArgumentException naming the part that is missing or malformed
   */
  public static ProfileType parse(String id) {
    String[] parts = id.split(":", -1);
    if (parts.length != 5) {
      throw new IllegalArgumentException(
          "profile type '"
              + id
              + "' has "
              + parts.length
              + " parts; expected name:sample_type:sample_unit:period_type:period_unit");
    }
    return new ProfileType(parts[0], parts[1], parts[2], parts[3], parts[4]);
  }

  /** The id as written in selectors and storage. */
  public String id() {
    return name + ':' + sampleType + ':' + sampleUnit + ':' + periodType + ':' + periodUnit;
  }

  /** How values of this type combine over a range; see {@link Aggregation}. */
  public Aggregation aggregation() {
    return Aggregation.of(this);
  }

  @Override
  public String toString() {
    return id();
  }
}
