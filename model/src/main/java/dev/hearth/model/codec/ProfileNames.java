package dev.hearth.model.codec;

/**
 * Picks a profile family name ({@code process_cpu}, {@code memory}, …) for formats that carry
 * sample and period types but no name, the way Pyroscope's Go SDK names what {@code runtime/pprof}
 * writes. A name given by the producer (Pyroscope's {@code ?name=} or {@code __name__}) always wins
 * over this guess.
 */
public final class ProfileNames {
  private ProfileNames() {}

  /**
   * @param sampleType e.g. {@code cpu}, {@code alloc_space}, {@code contentions}
   * @param periodType e.g. {@code cpu}, {@code space}, {@code contentions}
   * @return the family name; {@code unknown} when nothing matches
   */
  public static String guess(String sampleType, String periodType) {
    if (periodType.equals("cpu") || sampleType.equals("cpu")) {
      return "process_cpu";
    }
    if (periodType.equals("space")
        || sampleType.startsWith("alloc_")
        || sampleType.startsWith("inuse_")) {
      return "memory";
    }
    if (periodType.equals("wall") || sampleType.equals("wall")) {
      return "wall";
    }
    if (periodType.equals("off_cpu") || sampleType.equals("off_cpu")) {
      return "off_cpu";
    }
    if (periodType.equals("contentions") || sampleType.equals("contentions")) {
      return "mutex";
    }
    if (periodType.equals("goroutine") || sampleType.equals("goroutine")) {
      return "goroutine";
    }
    return "unknown";
  }
}
