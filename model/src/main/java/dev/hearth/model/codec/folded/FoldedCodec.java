package dev.hearth.model.codec.folded;

import dev.hearth.model.Function;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Location;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.ProfileDecodeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folded stacks: one line per stack, frames root first separated by {@code ;}, then a space and a
 * non-negative integer count, e.g. {@code main;handle;parse 42}. Frame names may contain spaces
 * (the count is after the last one) but not {@code ;} or line breaks; the writer replaces those.
 */
public final class FoldedCodec {
  /** Heap of a new frame: its function, location, line and their lists and map entries. */
  private static final long FRAME_BYTES = 400;

  /** Heap of a new stack: the stack, its location list, its sample and their map entries. */
  private static final long STACK_BYTES = 300;

  private FoldedCodec() {}

  /**
   * Reads folded stacks. Each line's number is a count of samples; its value is that count times
   * {@code valuePerSample} (e.g. 10,000,000 ns at 100 Hz for a CPU type, or 1 for a count type).
   *
   * @throws ProfileDecodeException naming the first malformed line
   */
  public static Profile decode(
      byte[] data, ProfileType type, long valuePerSample, long timeNanos, long durationNanos)
      throws ProfileDecodeException {
    return decode(data, type, valuePerSample, timeNanos, durationNanos, Long.MAX_VALUE);
  }

  /**
   * Reads folded stacks, giving up with a {@link ProfileDecodeException#tooLarge} once the decoded
   * stacks would take more than about {@code maxHeapBytes} (each distinct stack, frame and name
   * counted as it is built), so a body of a million distinct stacks stops early instead of first
   * building all of them. Frames of the same name share one function and location.
   */
  public static Profile decode(
      byte[] data,
      ProfileType type,
      long valuePerSample,
      long timeNanos,
      long durationNanos,
      long maxHeapBytes)
      throws ProfileDecodeException {
    String text = new String(data, StandardCharsets.UTF_8);
    long heap = 2L * text.length();
    Map<String, Location> frameLocations = new HashMap<>();
    Map<String, Stack> stacks = new HashMap<>();
    Map<Stack, long[]> counts = new java.util.LinkedHashMap<>();
    int lineNo = 0;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      lineNo++;
      String line = text.substring(start, end).strip();
      start = end + 1;
      if (line.isEmpty()) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (space <= 0) {
        throw new ProfileDecodeException(
            "folded line " + lineNo + " has no count: expected 'frame;frame;... <count>'");
      }
      long count;
      try {
        count = Long.parseLong(line.substring(space + 1));
      } catch (NumberFormatException e) {
        throw new ProfileDecodeException(
            "folded line "
                + lineNo
                + " ends in '"
                + abbreviate(line.substring(space + 1))
                + "', not an integer count");
      }
      if (count < 0) {
        throw new ProfileDecodeException("folded line " + lineNo + " has a negative count");
      }
      String frames = line.substring(0, space).strip();
      Stack stack = stacks.get(frames);
      if (stack == null) {
        List<String> rootFirst = Arrays.asList(frames.split(";", -1));
        for (String frame : rootFirst) {
          if (frame.isEmpty()) {
            throw new ProfileDecodeException("folded line " + lineNo + " has an empty frame");
          }
        }
        List<Location> leafFirst = new ArrayList<>(rootFirst.size());
        for (int i = rootFirst.size() - 1; i >= 0; i--) {
          String name = rootFirst.get(i);
          Location location = frameLocations.get(name);
          if (location == null) {
            location = Location.of(Function.of(name));
            frameLocations.put(name, location);
            heap += FRAME_BYTES + 2L * name.length();
          }
          leafFirst.add(location);
        }
        stack = Stack.of(leafFirst);
        stacks.put(frames, stack);
        heap += STACK_BYTES + 16L * rootFirst.size() + 2L * frames.length();
        if (heap > maxHeapBytes) {
          throw ProfileDecodeException.tooLarge(
              "folded body's first "
                  + lineNo
                  + " lines already take about "
                  + (heap >> 20)
                  + " MiB once decoded ("
                  + stacks.size()
                  + " distinct stacks); the limit is "
                  + (maxHeapBytes >> 20)
                  + " MiB");
        }
      }
      counts.computeIfAbsent(stack, s -> new long[1])[0] += count;
    }
    List<Sample> samples = new ArrayList<>(counts.size());
    for (Map.Entry<Stack, long[]> e : counts.entrySet()) {
      long n = e.getValue()[0];
      samples.add(Sample.of(e.getKey(), Math.multiplyExact(n, valuePerSample), n));
    }
    return new Profile(
        type, LabelSet.EMPTY, timeNanos, durationNanos, valuePerSample, Temporality.DELTA, samples);
  }

  /**
   * Writes one line per distinct stack (inlined frames expanded), summing samples that share it.
   * The number written is the samples' {@code count} when {@code writeCounts}, else their value.
   */
  public static byte[] encode(Profile profile, boolean writeCounts) {
    Map<String, long[]> lines = new java.util.LinkedHashMap<>();
    for (Sample s : profile.samples()) {
      List<String> names = s.stack().functionNamesRootFirst();
      StringBuilder sb = new StringBuilder();
      for (String name : names) {
        if (!sb.isEmpty()) {
          sb.append(';');
        }
        sb.append(name.replace(';', ':').replace('\n', ' ').replace('\r', ' '));
      }
      lines.computeIfAbsent(sb.toString(), k -> new long[1])[0] +=
          writeCounts ? s.count() : s.value();
    }
    StringBuilder out = new StringBuilder();
    lines.forEach((stack, n) -> out.append(stack).append(' ').append(n[0]).append('\n'));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "…";
  }
}
