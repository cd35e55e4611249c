package dev.hearth.ingest;

import dev.hearth.model.Function;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What a request's decoded profiles hold on the heap, estimated from the objects the decoders build
 * (measured with JOL-style layouts on a 64-bit JVM with compressed oops): each distinct stack,
 * location, function and string once, each sample and the storage write's row for it. It is an
 * estimate, meant to be within a factor of two of the truth, so that a budget in megabytes means
 * something; it does not count the body bytes, which {@link InFlightBytes} already holds.
 */
final class RequestMemory {
  private static final long PER_SAMPLE = 40 + 96; // Sample + its write row (key, sums, map entry)
  private static final long PER_STACK = 96 + 120; // Stack + list + its dictionary key and entry
  private static final long PER_STACK_FRAME = 8 + 8; // a reference in the stack and in its row
  private static final long PER_LOCATION = 96 + 120; // Location + lines list + dictionary entry
  private static final long PER_FUNCTION = 80 + 120; // Function + dictionary entry
  private static final long PER_STRING = 56; // String + byte[] headers

  /**
   * Heap bytes one decompressed payload byte can become, at most, in the decoders (a folded frame
   * name of one character makes a function, a location and a stack entry: about 60×).
   */
  static final long MAX_EXPANSION = 64;

  private RequestMemory() {}

  /** Bytes {@code profiles} take once decoded and made into storage rows. */
  static long estimate(List<Profile> profiles) {
    Set<Stack> stacks = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Location> locations = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Function> functions = Collections.newSetFromMap(new IdentityHashMap<>());
    long bytes = 0;
    for (Profile p : profiles) {
      bytes += p.samples().size() * PER_SAMPLE;
      for (Sample s : p.samples()) {
        Stack stack = s.stack();
        if (!stacks.add(stack)) {
          continue;
        }
        bytes += PER_STACK + stack.depth() * PER_STACK_FRAME;
        for (Location l : stack.locations()) {
          if (!locations.add(l)) {
            continue;
          }
          bytes += PER_LOCATION;
          for (Line line : l.lines()) {
            Function f = line.function();
            if (functions.add(f)) {
              bytes += PER_FUNCTION + strings(f);
            }
          }
        }
      }
    }
    // The identity sets themselves, alive while this runs.
    return bytes + 32L * (stacks.size() + locations.size() + functions.size());
  }

  private static long strings(Function f) {
    return 3 * PER_STRING + f.name().length() + f.systemName().length() + f.filename().length();
  }
}
