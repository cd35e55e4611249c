package dev.hearth.model.testing;

import dev.hearth.model.Function;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Generated profiles shaped like a fleet: services sharing a runtime library, each with its own
 * code, stacks of realistic depth with inlined frames and unsymbolised native frames.
 */
public final class FleetProfiles {
  private final SplittableRandom random;
  private final List<Function> shared = new ArrayList<>();
  private final Mapping libc = Mapping.of("/usr/lib/x86_64-linux-gnu/libc.so.6", "4f1c2a9d", "gnu");

  public FleetProfiles(long seed) {
    this.random = new SplittableRandom(seed);
    for (int i = 0; i < 200; i++) {
      shared.add(Function.of("runtime.shared" + i, "", "runtime/proc.go", i * 10L));
    }
  }

  /** {@code count} distinct stacks of {@code depth} frames for one service. */
  public List<Stack> stacks(String service, int count, int depth) {
    Mapping binary =
        Mapping.of(
            "/opt/" + service + "/bin/" + service, Integer.toHexString(service.hashCode()), "gnu");
    List<Function> own = new ArrayList<>();
    for (int i = 0; i < Math.max(50, count / 4); i++) {
      own.add(
          Function.of(service + ".handler" + i, "", service + "/handler" + (i % 17) + ".go", i));
    }
    List<Stack> out = new ArrayList<>(count);
    for (int s = 0; s < count; s++) {
      List<Location> leafFirst = new ArrayList<>(depth);
      for (int d = 0; d < depth; d++) {
        if (d == 0 && s % 7 == 0) {
          leafFirst.add(Location.unsymbolized(libc, 0x8f000 + random.nextInt(4096), "native"));
          continue;
        }
        boolean sharedFrame = d >= depth - 3 || random.nextInt(4) == 0;
        Function f =
            sharedFrame
                ? shared.get((d * 31 + s) % shared.size())
                : own.get(random.nextInt(own.size()));
        List<Line> lines =
            d == 1 && s % 5 == 0
                ? List.of(Line.of(own.get((s + 1) % own.size()), 3), Line.of(f, 10 + d))
                : List.of(Line.of(f, 10 + d));
        // Real stacks share frames: a function's call sites are few, so its locations are too.
        long address = 0x1000L + ((f.id() & 0xffff) << 4) + (lines.size() - 1);
        leafFirst.add(Location.of(binary, address, lines, "native"));
      }
      out.add(Stack.of(leafFirst));
    }
    return out;
  }

  /** One profile of {@code type} with {@code samples} samples drawn from {@code stacks}. */
  public Profile profile(
      ProfileType type, LabelSet labels, long timeNanos, List<Stack> stacks, int samples) {
    List<Sample> out = new ArrayList<>(samples);
    for (int i = 0; i < samples; i++) {
      Stack stack = stacks.get(random.nextInt(stacks.size()));
      long count = 1 + random.nextInt(5);
      out.add(Sample.of(stack, count * 10_000_000L, count));
    }
    return new Profile(
        type, labels, timeNanos, 10_000_000_000L, 10_000_000L, Temporality.DELTA, out);
  }

  public static LabelSet labels(String service, String host) {
    return LabelSet.of("service_name", service, "host_name", host);
  }

  /** A deterministic random for tests that need one directly. */
  public Random javaRandom() {
    return new Random(random.nextLong());
  }
}
