package dev.hearth.model.codec.jfr;

import dev.hearth.model.Function;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Stack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import org.jspecify.annotations.Nullable;

/**
 * Turns JFR stack traces into Hearth stacks for one recording.
 *
 * <p>JFR frames are leaf first, like Hearth's. Each frame is one location with one line: the method
 * as a {@link Function} (no file name: JFR does not record source files; system name is the
 * function name plus the JVM descriptor, so overloads stay apart) at the frame's line number.
 * Inlined frames stay separate locations, as Pyroscope keeps them. A stack JFR truncated gets a
 * {@value FrameNames#TRUNCATED} root frame.
 *
 * <p>The JDK's parser hands out one object per constant-pool entry, so caching by identity turns
 * each distinct stack and method into a Hearth object once.
 */
final class StackConverter {
  private final boolean slashedClassNames;
  private final Map<RecordedStackTrace, Stack> stacks = new IdentityHashMap<>();
  private final Map<RecordedMethod, Function> functions = new IdentityHashMap<>();
  private final Map<Line, Map<String, Location>> locations = new HashMap<>();
  private final Location truncated =
      Location.of(null, 0, List.of(Line.of(Function.of(FrameNames.TRUNCATED), 0)), "");

  StackConverter(boolean slashedClassNames) {
    this.slashedClassNames = slashedClassNames;
  }

  /** The stack, or null when the event has none (stack traces off) or it has no frames. */
  @Nullable Stack convert(@Nullable RecordedStackTrace trace) {
    if (trace == null) {
      return null;
    }
    Stack stack = stacks.get(trace);
    if (stack == null && !stacks.containsKey(trace)) {
      stack = build(trace);
      stacks.put(trace, stack);
    }
    return stack;
  }

  private @Nullable Stack build(RecordedStackTrace trace) {
    List<RecordedFrame> frames = trace.getFrames();
    List<Location> leafFirst = new ArrayList<>(frames.size() + 1);
    for (RecordedFrame frame : frames) {
      RecordedMethod method = frame.getMethod();
      if (method == null) {
        continue;
      }
      Line line = Line.of(function(method), Math.max(frame.getLineNumber(), 0));
      String type = FrameNames.frameType(frame.getType());
      leafFirst.add(
          locations
              .computeIfAbsent(line, l -> new HashMap<>(2))
              .computeIfAbsent(type, t -> Location.of(null, 0, List.of(line), t)));
    }
    if (leafFirst.isEmpty()) {
      return null;
    }
    if (trace.isTruncated()) {
      leafFirst.add(truncated);
    }
    return Stack.of(leafFirst);
  }

  private Function function(RecordedMethod method) {
    Function f = functions.get(method);
    if (f == null) {
      RecordedClass type = method.getType();
      String className = type == null || type.getName() == null ? "" : type.getName();
      String methodName = method.getName() == null ? "" : method.getName();
      String name = FrameNames.function(className, methodName, slashedClassNames);
      if (name.isEmpty()) {
        name = "[unknown]";
      }
      String descriptor = method.getDescriptor();
      String systemName = descriptor == null || descriptor.isEmpty() ? "" : name + descriptor;
      f = Function.of(name, systemName, "", 0);
      functions.put(method, f);
    }
    return f;
  }
}
