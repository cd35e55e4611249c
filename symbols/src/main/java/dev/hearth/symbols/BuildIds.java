package dev.hearth.symbols;

import java.util.Locale;
import java.util.regex.Pattern;

/** GNU build ids as Hearth keys debug files by them: lower-case hex, 4 to 64 bytes. */
public final class BuildIds {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{8,128}");

  private BuildIds() {}

  /** The build id in canonical form, or null when it is not hex of an even length 8–128. */
  public static @org.jspecify.annotations.Nullable String canonical(String buildId) {
    String s = buildId.trim().toLowerCase(Locale.ROOT);
    return HEX.matcher(s).matches() && s.length() % 2 == 0 ? s : null;
  }

  /** Where a debug file for {@code buildId} lives under a root: {@code .build-id/xx/rest.debug}. */
  public static String debugPath(String buildId) {
    return ".build-id/" + buildId.substring(0, 2) + "/" + buildId.substring(2) + ".debug";
  }

  /** The executable's path in a {@code .build-id} tree (no suffix), as distributions lay it out. */
  public static String executablePath(String buildId) {
    return ".build-id/" + buildId.substring(0, 2) + "/" + buildId.substring(2);
  }
}
