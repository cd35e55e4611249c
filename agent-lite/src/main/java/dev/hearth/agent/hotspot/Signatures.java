package dev.hearth.agent.hotspot;

/** Java method descriptors in the form perf maps and JFR tools print them. */
final class Signatures {
  private Signatures() {}

  /**
   * {@code void Chain.main(java.lang.String[])} for {@code Chain}, {@code main}, {@code
   * ([Ljava/lang/String;)V}.
   */
  static String format(String klass, String method, String descriptor) {
    int close = descriptor.indexOf(')');
    if (!descriptor.startsWith("(") || close < 0) {
      return klass + "." + method;
    }
    StringBuilder params = new StringBuilder();
    int[] at = {1};
    while (at[0] < close) {
      if (params.length() > 0) {
        params.append(", ");
      }
      params.append(type(descriptor, at));
    }
    at[0] = close + 1;
    String ret = at[0] < descriptor.length() ? type(descriptor, at) : "void";
    return ret + " " + klass + "." + method + "(" + params + ")";
  }

  private static String type(String d, int[] at) {
    int dims = 0;
    while (at[0] < d.length() && d.charAt(at[0]) == '[') {
      dims++;
      at[0]++;
    }
    if (at[0] >= d.length()) {
      return "?";
    }
    char c = d.charAt(at[0]++);
    String base =
        switch (c) {
          case 'B' -> "byte";
          case 'C' -> "char";
          case 'D' -> "double";
          case 'F' -> "float";
          case 'I' -> "int";
          case 'J' -> "long";
          case 'S' -> "short";
          case 'Z' -> "boolean";
          case 'V' -> "void";
          case 'L' -> {
            int semi = d.indexOf(';', at[0]);
            if (semi < 0) {
              semi = d.length();
            }
            String name = d.substring(at[0], semi).replace('/', '.');
            at[0] = Math.min(d.length(), semi + 1);
            yield name;
          }
          default -> "?";
        };
    return base + "[]".repeat(dims);
  }
}
