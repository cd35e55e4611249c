package dev.hearth.model.codec.jfr;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Function names and frame types for JFR frames.
 *
 * <p>A function is {@code <class>.<method>}, as Pyroscope names JFR frames. Class names the JVM
 * generates afresh in every process are merged, so one lambda or reflection accessor is one
 * function across restarts: {@code Foo$$Lambda.0x00007f…} and {@code Foo$$Lambda$669/0x…} become
 * {@code Foo$$Lambda_}, {@code GeneratedMethodAccessor31} becomes {@code GeneratedMethodAccessor_}
 * (Pyroscope merges these two the same way), and any other hidden class's {@code .0x…} suffix
 * becomes {@code _} ({@code LambdaForm$DMH_}; Pyroscope keeps those apart).
 */
final class FrameNames {
  private FrameNames() {}

  private static final Pattern LAMBDA =
      Pattern.compile("\\$\\$Lambda(?:\\$\\d+)?(?:[./]0x\\p{XDigit}+)?$");
  private static final Pattern HIDDEN = Pattern.compile("[./]0x\\p{XDigit}+$");
  private static final Pattern ACCESSOR =
      Pattern.compile("(Generated(?:Method|Constructor|SerializationConstructor)Accessor)\\d+$");

  /** Shown as the root frame of a stack JFR cut off at its depth limit, as Pyroscope does. */
  static final String TRUNCATED = "[truncated]";

  /**
   * The function name of a method.
   *
   * @param className the class as {@code RecordedClass#getName()} gives it (dotted), or empty for
   *     async-profiler's native and kernel frames, which have none
   * @param slashed whether to write the package with slashes, as Pyroscope does
   */
  static String function(String className, String methodName, boolean slashed) {
    if (className.isEmpty()) {
      return methodName;
    }
    String merged = mergeGenerated(className);
    return (slashed ? merged.replace('.', '/') : merged) + '.' + methodName;
  }

  /** A class name with its per-process generated part replaced by {@code _}. */
  static String mergeGenerated(String className) {
    if (className.indexOf("0x") < 0 && className.indexOf("Lambda$") < 0) {
      return ACCESSOR.matcher(className).replaceFirst("$1_");
    }
    String s = LAMBDA.matcher(className).replaceFirst("\\$\\$Lambda_");
    return HIDDEN.matcher(s).replaceFirst("_");
  }

  /**
   * Hearth's frame type for a JFR frame type: the JDK writes {@code Interpreted}, {@code JIT
   * compiled}, {@code Inlined} and {@code Native} (a Java method declared {@code native});
   * async-profiler adds {@code C1 compiled}, {@code C++} and {@code Kernel}.
   */
  static String frameType(@Nullable String jfrType) {
    if (jfrType == null) {
      return "jvm";
    }
    return switch (jfrType) {
      case "Native", "C++" -> "native";
      case "Kernel" -> "kernel";
      default -> "jvm";
    };
  }
}
