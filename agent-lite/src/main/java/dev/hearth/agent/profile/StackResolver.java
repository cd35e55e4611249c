package dev.hearth.agent.profile;

import dev.hearth.agent.bpf.CpuSample;
import dev.hearth.agent.hotspot.HotSpotProcess;
import dev.hearth.agent.python.PythonProcess;
import dev.hearth.agent.python.PythonStacks;
import dev.hearth.agent.symbol.Demangler;
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
  private final Demangler demangler;
  private final Map<Long, Location> kernelLocations = new HashMap<>();
  private final Map<NativeKey, Location> nativeLocations = new HashMap<>();
  private final Map<String, Location> jitLocations = new HashMap<>();

  private record NativeKey(Mapping mapping, long address) {}

  /** A JIT address the perf map did not name yet; retried when the interval is drained. */
  private record PendingJit(
      int pid, long address, java.nio.file.@org.jspecify.annotations.Nullable Path jvmHome) {}

  private final Map<Location, PendingJit> pending = new java.util.concurrent.ConcurrentHashMap<>();

  public StackResolver(Kallsyms kallsyms, JitMaps jitMaps) {
    this(kallsyms, jitMaps, new Demangler());
  }

  public StackResolver(Kallsyms kallsyms, JitMaps jitMaps, Demangler demangler) {
    this.kallsyms = kallsyms;
    this.jitMaps = jitMaps;
    this.demangler = demangler;
  }

  /** The stack of one sample: kernel frames (if any) above the user frames. */
  public Stack resolve(CpuSample sample, ProcessInfo process, List<Frame> userFrames) {
    return resolve(sample, process, userFrames, null, null);
  }

  /**
   * The stack of one sample, with the interpreter frames the BPF program recorded merged into the
   * user frames when {@code python} is the sampled CPython process.
   */
  public Stack resolve(
      CpuSample sample,
      ProcessInfo process,
      List<Frame> userFrames,
      @org.jspecify.annotations.Nullable PythonProcess python,
      @org.jspecify.annotations.Nullable HotSpotProcess jvm) {
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
    List<Location> user = new ArrayList<>(userFrames.size());
    for (Frame f : userFrames) {
      user.add(f.jvmKind() != 0 && jvm != null ? jvmFrame(f, process, jvm) : user(f, process));
    }
    if (python != null
        && sample.langKind() == CpuSample.LANG_PYTHON
        && sample.langFrames().length > 0) {
      user = PythonStacks.merge(user, sample.langFrames(), python);
    }
    leafFirst.addAll(user);
    if (leafFirst.isEmpty()) {
      leafFirst.add(Location.of(Function.of("[" + sample.comm() + "]")));
    }
    return Stack.of(leafFirst);
  }

  private Location jit(String name, boolean jvm) {
    String frameType = jvm ? "jvm" : "jit";
    return jitLocations.computeIfAbsent(
        frameType + " " + name,
        k -> Location.of(null, 0, List.of(new Line(Function.of(name), 0, 0)), frameType));
  }

  /**
   * The stack with JIT frames that were not in the perf map at sampling time named from the map as
   * it is now, or {@code [unknown]}. Called when an interval is drained.
   */
  public Stack finish(Stack stack) {
    if (pending.isEmpty()) {
      return stack;
    }
    List<Location> out = null;
    List<Location> in = stack.locations();
    for (int i = 0; i < in.size(); i++) {
      PendingJit p = pending.get(in.get(i));
      if (p == null) {
        continue;
      }
      if (out == null) {
        out = new ArrayList<>(in);
      }
      String name = jitMaps.lookup(p.pid(), p.address(), null);
      out.set(i, name == null ? UNKNOWN : jitLocationFor(name, p.jvmHome() != null));
    }
    return out == null ? stack : Stack.of(out);
  }

  private Location jitLocationFor(String name, boolean jvm) {
    String frameType = jvm ? "jvm" : "jit";
    return Location.of(null, 0, List.of(new Line(Function.of(name), 0, 0)), frameType);
  }

  /**
   * Before an interval is drained: for JVMs with JIT addresses still unnamed, has the JVM write a
   * fresh perf map (waits for {@code jcmd}; call on the flush thread).
   */
  public void beforeDrain() {
    java.util.Set<Integer> refreshed = new java.util.HashSet<>();
    for (PendingJit p : pending.values()) {
      java.nio.file.Path home = p.jvmHome();
      if (home != null
          && !refreshed.contains(p.pid())
          && jitMaps.lookup(p.pid(), p.address(), null) == null) {
        refreshed.add(p.pid());
        jitMaps.refreshNow(p.pid(), home);
      }
    }
  }

  /** Forgets unnamed JIT addresses once an interval has been drained. */
  public void clearPending() {
    pending.clear();
  }

  /**
   * A frame the HotSpot walk found: named from its Method* (a compiled frame with the methods
   * inlined into it, innermost first, as lines of one location), or its stub's name.
   */
  private Location jvmFrame(Frame f, ProcessInfo process, HotSpotProcess jvm) {
    if (f.jvmKind() == Frame.JVM_COMPILED) {
      List<Line> lines = new ArrayList<>();
      for (HotSpotProcess.Scope scope : jvm.scopes(f.pc())) {
        String n = jvm.methodName(scope.method());
        if (n != null) {
          lines.add(new Line(Function.of(n), jvm.line(scope.method(), scope.bci()), 0));
        }
      }
      if (!lines.isEmpty()) {
        return Location.of(null, 0, lines, "jvm");
      }
    }
    if (f.jvmKind() == Frame.JVM_INTERPRETED) {
      String n = jvm.methodName(f.jvmMethod());
      if (n != null) {
        int line = jvm.line(f.jvmMethod(), f.jvmBci());
        return Location.of(null, 0, List.of(new Line(Function.of(n), line, 0)), "jvm");
      }
    }
    String name = null;
    if (f.jvmKind() == Frame.JVM_STUB) {
      HotSpotProcess.Blob b = jvm.blob(f.lookup());
      name = b == null || b.name().isEmpty() ? null : "[jvm] " + b.name();
    } else {
      name = jvm.methodName(f.jvmMethod());
    }
    if (name == null) {
      name = jitMaps.lookup(process.pid(), f.lookup(), null);
    }
    return name == null ? UNKNOWN : jit(name, true);
  }

  /** A native function: C++ names demangled for people, the mangled form kept as system name. */
  private Function function(String symbol) {
    String readable = demangler.demangle(symbol);
    return readable.equals(symbol) ? Function.of(symbol) : Function.of(readable, symbol, "", 0);
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
                    k.mapping(), k.address(), List.of(new Line(function(name), 0, 0)), "native");
          });
    }
    var entry = f.entry();
    if (entry == null || entry.path().isEmpty() || entry.path().startsWith("[anon")) {
      java.nio.file.Path jcmdHome = process.jvmFramePointers() ? process.jvmHome() : null;
      String name = jitMaps.lookup(process.pid(), f.lookup(), jcmdHome);
      if (name == null) {
        if (pending.size() > MAX_LOCATIONS) {
          return UNKNOWN;
        }
        // The map may be written shortly (jcmd Compiler.perfmap runs now): name it at drain time.
        Location placeholder =
            Location.of(
                null,
                f.lookup(),
                List.of(new Line(Function.of("[jit] pid " + process.pid()), 0, 0)),
                "jit");
        pending.put(placeholder, new PendingJit(process.pid(), f.lookup(), jcmdHome));
        return placeholder;
      }
      return jit(name, process.jvmHome() != null);
    }
    // [vdso] and files we could not read: named by mapping and offset.
    Mapping m = Mapping.of(entry.path());
    long offset = f.lookup() - entry.start() + entry.offset();
    return nativeLocations.computeIfAbsent(
        new NativeKey(m, offset), k -> Location.unsymbolized(m, offset, "native"));
  }
}
