package dev.hearth.agent.profile;

import dev.hearth.agent.bpf.CpuSample;
import dev.hearth.agent.symbol.JitMaps;
import dev.hearth.agent.symbol.Kallsyms;
import dev.hearth.agent.symbol.ObjectFile;
import dev.hearth.agent.unwind.Frame;
import dev.hearth.agent.unwind.ProcessInfo;
import dev.hearth.model.Function;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Stack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names frames and builds model stacks, leaf first: kernel frames from kallsyms, native frames from
 * ELF symbols (address file-relative, mapping with its build id), JIT frames from perf maps.
 * Locations are cached; the cache is cleared when it grows past {@link #MAX_LOCATIONS}.
 */
public final class StackResolver {
  static final int MAX_LOCATIONS = 200_000;
  static final Mapping KERNEL = Mapping.of("[kernel.kallsyms]");
  private static final Location UNKNOWN = Location.of(Function.of("[unknown]"));

  private final Kallsyms kallsyms;
  private final JitMaps jitMaps;
  private final Map<Long, Location> kernelLocations = new HashMap<>();
  private final Map<NativeKey, Location> nativeLocations = new HashMap<>();
  private final Map<String, Location> jitLocations = new HashMap<>();

  private record NativeKey(Mapping mapping, long address) {}

  public StackResolver(Kallsyms kallsyms, JitMaps jitMaps) {
    this.kallsyms = kallsyms;
    this.jitMaps = jitMaps;
  }

  /** The stack of one sample: kernel frames (if any) above the user frames. */
  public Stack resolve(CpuSample sample, ProcessInfo process, List<Frame> userFrames) {
    if (kernelLocations.size() + nativeLocations.size() + jitLocations.size() > MAX_LOCATIONS) {
      kernelLocations.clear();
      nativeLocations.clear();
      jitLocations.clear();
    }
    List<Location> leafFirst = new ArrayList<>(sample.kernelStack().length + userFrames.size());
    for (long address : sample.kernelStack()) {
      if (address != 0) {
        leafFirst.add(kernelLocations.computeIfAbsent(address, this::kernel));
      }
    }
    for (Frame f : userFrames) {
      leafFirst.add(user(f, process));
    }
    if (leafFirst.isEmpty()) {
      leafFirst.add(Location.of(Function.of("[" + sample.comm() + "]")));
    }
    return Stack.of(leafFirst);
  }

  private Location kernel(long address) {
    String name = kallsyms.lookup(address);
    Function f = Function.of(name != null ? name : "[kernel]+0x" + Long.toHexString(address));
    return Location.of(KERNEL, 0, List.of(new Line(f, 0, 0)), "kernel");
  }

  private Location user(Frame f, ProcessInfo process) {
    ObjectFile object = f.object();
    if (object != null && f.address() >= 0) {
      return nativeLocations.computeIfAbsent(
          new NativeKey(object.mapping(), f.address()),
          k -> {
            String name = object.symbols().lookup(k.address());
            return name == null
                ? Location.unsymbolized(k.mapping(), k.address(), "native")
                : Location.of(
                    k.mapping(), k.address(), List.of(new Line(Function.of(name), 0, 0)), "native");
          });
    }
    var entry = f.entry();
    if (entry == null || entry.path().isEmpty() || entry.path().startsWith("[anon")) {
      String name = jitMaps.lookup(process.pid(), f.lookup(), process.jvmHome());
      if (name == null) {
        return UNKNOWN;
      }
      String frameType = process.jvmHome() != null ? "jvm" : "jit";
      return jitLocations.computeIfAbsent(
          frameType + " " + name,
          k -> Location.of(null, 0, List.of(new Line(Function.of(name), 0, 0)), frameType));
    }
    // [vdso] and files we could not read: named by mapping and offset.
    Mapping m = Mapping.of(entry.path());
    long offset = f.lookup() - entry.start() + entry.offset();
    return nativeLocations.computeIfAbsent(
        new NativeKey(m, offset), k -> Location.unsymbolized(m, offset, "native"));
  }
}
