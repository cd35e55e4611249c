package dev.hearth.agent;

import dev.hearth.agent.alloc.AllocatorFile;
import dev.hearth.agent.alloc.LiveAllocations;
import dev.hearth.agent.bpf.BpfLayouts;
import dev.hearth.agent.bpf.BpfObject;
import dev.hearth.agent.bpf.BpfStats;
import dev.hearth.agent.bpf.CpuSample;
import dev.hearth.agent.bpf.PerfEvents;
import dev.hearth.agent.bpf.RingBuffer;
import dev.hearth.agent.hotspot.HotSpotProcess;
import dev.hearth.agent.hotspot.HotSpotProcesses;
import dev.hearth.agent.io.PendingIo;
import dev.hearth.agent.profile.Aggregator;
import dev.hearth.agent.profile.Batch;
import dev.hearth.agent.profile.ContainerFilter;
import dev.hearth.agent.profile.Labeler;
import dev.hearth.agent.profile.StackResolver;
import dev.hearth.agent.python.PythonProcesses;
import dev.hearth.agent.symbol.JitMaps;
import dev.hearth.agent.symbol.Kallsyms;
import dev.hearth.agent.symbol.ObjectFiles;
import dev.hearth.agent.unwind.Frame;
import dev.hearth.agent.unwind.ProcessInfo;
import dev.hearth.agent.unwind.Processes;
import dev.hearth.agent.unwind.Unwinder;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The CPU profiler: loads {@code profile.bpf.o}, attaches it to a CPU-clock perf event on every
 * online CPU, and on its polling thread unwinds, names and aggregates each sample as it arrives
 * (while the process's maps still exist). Every interval the aggregate goes to the sink. Loader
 * order: checks → open → configure → load → perf events → attach → ring buffer → poll; {@link
 * #close} undoes it in reverse on one path.
 */
public final class Profiler implements AutoCloseable {
  private static final String PROGRAM = "on_cpu_sample";

  private final AgentConfig config;
  private final Consumer<Batch> sink;
  private final Processes processes = new Processes();
  private final ObjectFiles objects = new ObjectFiles();
  private final JitMaps jitMaps = new JitMaps();
  private final Unwinder unwinder = new Unwinder(processes, objects);
  private final Aggregator aggregator;
  private final StackResolver resolver = new StackResolver(Kallsyms.load(), jitMaps);
  private final ContainerFilter containers;
  private final AtomicLong samples = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicLongArray byKind =
      new java.util.concurrent.atomic.AtomicLongArray(8);
  private final AtomicLong sampleErrors = new AtomicLong();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private @Nullable BpfObject object;
  private @Nullable BpfObject allocObject;
  private volatile @Nullable PythonProcesses python;
  private final HotSpotProcesses jvms = new HotSpotProcesses(objects);
  private @Nullable BpfObject offCpuObject;
  private int offCpuEpoch;
  private final List<Integer> programFds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile int currentHz;
  private volatile @Nullable Control lastControl;
  private @Nullable BpfStats bpfStats;
  private @Nullable AdaptiveController controller;
  private long lastCpuTicks = -1;
  private long lastBpfNanos;
  private long lastEvents;
  private long lastStepNanos;
  private volatile String allocatorKind = "";
  private final LiveAllocations inUse = new LiveAllocations();
  private final PendingIo pendingIo = new PendingIo();
  private final List<BpfObject> eventObjects = new java.util.ArrayList<>();
  private @Nullable PerfEvents perfEvents;
  private @Nullable RingBuffer ringBuffer;
  private @Nullable ScheduledExecutorService flusher;
  private @Nullable ScheduledExecutorService controlThread;
  private volatile boolean running;
  private volatile @Nullable Throwable failure;

  public Profiler(AgentConfig config, Consumer<Batch> sink) {
    this.config = config;
    this.sink = sink;
    this.containers = new ContainerFilter(config.events().containers());
    this.currentHz = config.frequencyHz();
    this.aggregator =
        new Aggregator(
            new Labeler(
                config.serviceName(),
                config.hostName(),
                config.serviceVersion(),
                config.environment()),
            config.frequencyHz(),
            resolver::finish);
  }

  /** Checks the machine, loads and attaches the program, and starts sampling. */
  public synchronized void start() {
    checkMachine();
    AgentConfig.Events ev = config.events();
    try {
      if (ev.cpu()) {
        BpfObject obj = BpfObject.open(bpfObjectBytes("profile.bpf.o"), "profile.bpf.o");
        object = obj;
        targets(obj.rodata(), BpfLayouts.PROFILE_CONFIG);
        obj.load(List.of(PROGRAM));
        programFds.add(obj.programFd(PROGRAM));
        PythonProcesses py = new PythonProcesses(obj, objects);
        py.registerRunning(processes, config.pid());
        python = py;
        PerfEvents events = PerfEvents.openCpuClock(PerfEvents.onlineCpus(), config.frequencyHz());
        perfEvents = events;
        for (PerfEvents.Event e : events.events()) {
          obj.attachPerfEvent(PROGRAM, e.fd(), "cpu " + e.cpu());
        }
        addRingBuffer(obj.mapFd("events"));
      }
      if (ev.offCpu()) {
        BpfObject obj = BpfObject.open(bpfObjectBytes("offcpu.bpf.o"), "offcpu.bpf.o");
        eventObjects.add(obj);
        MemorySegment cfg = obj.rodata();
        targets(cfg, BpfLayouts.OFFCPU_CONFIG);
        BpfLayouts.set(cfg, BpfLayouts.OFFCPU_CONFIG, "min_block_ns", ev.offCpuMinNanos());
        loadAndCount(obj, List.of("on_switch", "on_sys_exit"));
        offCpuObject = obj;
        obj.attach("on_switch");
        obj.attach("on_sys_exit");
        addRingBuffer(obj.mapFd("events"));
      }
      if (ev.alloc()) {
        startAlloc(ev);
      }
      if (ev.blockIo()) {
        BpfObject obj = BpfObject.open(bpfObjectBytes("blockio.bpf.o"), "blockio.bpf.o");
        eventObjects.add(obj);
        targets(obj.rodata(), BpfLayouts.BLOCKIO_CONFIG);
        loadAndCount(obj, List.of("on_bio_queue", "on_rq_complete"));
        obj.attach("on_bio_queue");
        obj.attach("on_rq_complete");
        addRingBuffer(obj.mapFd("events"));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    running = true;
    Thread t = new Thread(this::poll, "hearth-poll");
    t.setDaemon(true);
    t.start();
    ScheduledExecutorService f =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread th = new Thread(r, "hearth-flush");
              th.setDaemon(true);
              return th;
            });
    flusher = f;
    long ms = config.interval().toMillis();
    f.scheduleAtFixedRate(this::flush, ms, ms, TimeUnit.MILLISECONDS);
    if (ev.cpuBudgetPercent() > 0 || ev.eventBudget() > 0) {
      bpfStats = BpfStats.enable();
      controller =
          new AdaptiveController(
              ev.cpuBudgetPercent(),
              ev.eventBudget(),
              config.frequencyHz(),
              ev.allocIntervalBytes());
      // Its own thread: a slow flush (symbolising, perf-map refreshes) must not delay it.
      ScheduledExecutorService ctl =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread th = new Thread(r, "hearth-control");
                th.setDaemon(true);
                return th;
              });
      controlThread = ctl;
      ctl.scheduleAtFixedRate(this::control, 1000, 1000, TimeUnit.MILLISECONDS);
    }
  }

  private void startAlloc(AgentConfig.Events ev) {
    AllocatorFile file =
        ev.allocExecutable().isEmpty()
            ? AllocatorFile.of(config.pid())
            : AllocatorFile.read(ev.allocExecutable(), "executable");
    if (!file.offsets().containsKey("malloc") || !file.offsets().containsKey("free")) {
      throw new AgentException(
          AgentException.USAGE,
          file.path() + " defines no malloc/free: give --alloc-executable with the allocator");
    }
    BpfObject obj = BpfObject.open(bpfObjectBytes("alloc.bpf.o"), "alloc.bpf.o");
    eventObjects.add(obj);
    allocObject = obj;
    MemorySegment cfg = obj.rodata();
    BpfLayouts.set(cfg, BpfLayouts.ALLOC_CONFIG, "target_tgid", config.pid());
    BpfLayouts.set(cfg, BpfLayouts.ALLOC_CONFIG, "ustack_chunks", config.stackBytes() / 512);
    BpfLayouts.set(obj.data(), BpfLayouts.ALLOC_SETTINGS, "interval", ev.allocIntervalBytes());
    List<String> programs =
        List.of("on_malloc", "on_calloc", "on_realloc", "on_free", "on_alloc_return");
    loadAndCount(obj, programs);
    int pid = config.pid() == 0 ? -1 : config.pid();
    for (Map.Entry<String, Long> fn : file.offsets().entrySet()) {
      String name = fn.getKey();
      obj.attachUprobe("on_" + name, false, pid, file.path(), fn.getValue());
      if (!name.equals("free")) {
        obj.attachUprobe("on_alloc_return", true, pid, file.path(), fn.getValue());
      }
    }
    allocatorKind = file.kind();
    addRingBuffer(obj.mapFd("events"));
  }

  /** The target filters and stack size every program's config starts with. */
  private void targets(MemorySegment cfg, java.lang.foreign.StructLayout layout) {
    BpfLayouts.set(cfg, layout, "target_tgid", config.pid());
    BpfLayouts.set(cfg, layout, "self_tgid", ProcessHandle.current().pid());
    BpfLayouts.set(cfg, layout, "target_cgroup_id", cgroupId(config.cgroup()));
    BpfLayouts.set(cfg, layout, "ustack_chunks", config.stackBytes() / 512);
  }

  private void loadAndCount(BpfObject obj, List<String> programs) {
    obj.load(programs);
    for (String p : programs) {
      programFds.add(obj.programFd(p));
    }
  }

  /** Which allocator the uprobes are on ({@code libc}, {@code jemalloc}, ...), or empty. */
  public String allocatorKind() {
    return allocatorKind;
  }

  /** Sends one off-CPU episode in {@code n} (values scaled by n), while running. */
  public void setOffCpuOneIn(long n) {
    BpfObject obj = offCpuObject;
    if (obj != null && running) {
      obj.writeData(BpfLayouts.offset(BpfLayouts.OFFCPU_SETTINGS, "one_in"), Math.max(1, n), 4);
    }
  }

  /**
   * Detaches the off-CPU programs, or attaches them again under a new epoch (so entries left from
   * before the pause, whose switch-in was never seen, are dropped instead of counting the pause).
   */
  void pauseOffCpu(boolean pause) {
    BpfObject obj = offCpuObject;
    if (obj == null || !running) {
      return;
    }
    if (pause) {
      obj.detachAll();
    } else {
      obj.writeData(BpfLayouts.offset(BpfLayouts.OFFCPU_SETTINGS, "epoch"), ++offCpuEpoch, 4);
      obj.attach("on_switch");
      obj.attach("on_sys_exit");
    }
  }

  /** Changes the allocation sampling interval while running (the adaptive controller). */
  public void setAllocInterval(long bytes) {
    BpfObject obj = allocObject;
    if (obj != null && running) {
      obj.writeData(BpfLayouts.offset(BpfLayouts.ALLOC_SETTINGS, "interval"), bytes, 8);
    }
  }

  /** CLOCK_BOOTTIME now, the clock the BPF programs stamp records with. */
  static long bootNanos() {
    try {
      String up = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
      return (long) (Double.parseDouble(up) * 1e9);
    } catch (IOException | RuntimeException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  private void addRingBuffer(int mapFd) {
    RingBuffer rb = ringBuffer;
    if (rb == null) {
      ringBuffer = new RingBuffer(mapFd, this::onSample);
    } else {
      rb.add(mapFd);
    }
  }

  private static void checkMachine() {
    if (!isRoot()) {
      throw new AgentException(
          AgentException.NOT_ROOT,
          "hearth-agent needs root (CAP_BPF and CAP_PERFMON): run it with sudo");
    }
    if (!Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"))) {
      throw new AgentException(
          AgentException.UNSUPPORTED,
          "this kernel has no BTF (/sys/kernel/btf/vmlinux): a kernel built with"
              + " CONFIG_DEBUG_INFO_BTF=y is needed (Linux 5.8+, most distributions)");
    }
    if (!Files.exists(Path.of("/proc/sys/kernel/perf_event_paranoid"))) {
      throw new AgentException(
          AgentException.UNSUPPORTED,
          "this kernel has no perf events (/proc/sys/kernel/perf_event_paranoid is missing)");
    }
  }

  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return false;
  }

  private static byte[] bpfObjectBytes(String name) {
    try (InputStream in = Profiler.class.getResourceAsStream("/bpf/" + name)) {
      if (in == null) {
        throw new AgentException(
            AgentException.FAILED,
            "bpf/" + name + " is not on the class path: build the bpf module");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AgentException(AgentException.FAILED, "cannot read bpf/" + name, e);
    }
  }

  /** The cgroup v2 id of a directory: its inode number. 0 for none. */
  static long cgroupId(String dir) {
    if (dir.isEmpty()) {
      return 0;
    }
    try {
      return ((Number) Files.getAttribute(Path.of(dir), "unix:ino")).longValue();
    } catch (IOException | UnsupportedOperationException e) {
      throw new AgentException(AgentException.USAGE, "cannot read cgroup " + dir + ": " + e);
    }
  }

  private void poll() {
    RingBuffer rb = ringBuffer;
    try {
      long expired = System.nanoTime();
      while (running && rb != null) {
        rb.poll(250);
        if (System.nanoTime() - expired > 1_000_000_000L) {
          processes.expire();
          pendingIo.expire(bootNanos());
          PythonProcesses py = python;
          if (py != null) {
            py.expire();
          }
          jvms.expire();
          expired = System.nanoTime();
        }
      }
    } catch (Throwable t) {
      failure = t;
      System.err.println("hearth-agent: sampling stopped: " + t);
    } finally {
      stopped.countDown();
    }
  }

  private void onSample(CpuSample s) {
    samples.incrementAndGet();
    byKind.incrementAndGet(Math.min(s.kind(), byKind.length() - 1));
    try {
      if (s.kind() == CpuSample.KIND_FREE) {
        inUse.freed(s.pid(), s.value2());
        return;
      }
      if (s.kind() == CpuSample.KIND_BLOCK_IO_DONE) {
        pendingIo.completed(aggregator, s.period(), s.value(), s.value2(), s.bootNanos());
        return;
      }
      ProcessInfo p = processes.get(s.pid(), s.comm());
      if (!containers.matches(p)) {
        return;
      }
      HotSpotProcess jvm = jvms.get(p);
      List<Frame> frames = unwinder.unwind(s, p, jvm);
      PythonProcesses py = python;
      if (py != null) {
        py.seen(p);
      }
      Stack stack = resolver.resolve(s, p, frames, py == null ? null : py.get(s.pid()), jvm);
      switch (s.kind()) {
        case CpuSample.KIND_OFF_CPU -> {
          long oneIn = Math.max(1, Integer.toUnsignedLong(s.period()));
          aggregator.add(ProfileType.OFF_CPU, oneIn, p, s.comm(), stack, s.value() * oneIn, 1);
        }
        case CpuSample.KIND_ALLOC -> {
          long interval = Integer.toUnsignedLong(s.period());
          long[] scaled = LiveAllocations.scale(s.value(), interval);
          aggregator.add(ProfileType.ALLOC_SPACE, interval, p, s.comm(), stack, scaled[0], 1);
          aggregator.add(ProfileType.ALLOC_OBJECTS, interval, p, s.comm(), stack, scaled[1], 1);
          inUse.allocated(p, s.comm(), stack, s.value2(), interval, scaled);
        }
        case CpuSample.KIND_BLOCK_IO ->
            pendingIo.queued(p, s.comm(), stack, s.period(), s.value2(), s.value(), s.bootNanos());
        default -> {
          long period = 1_000_000_000L / currentHz;
          aggregator.add(ProfileType.CPU, period, p, s.comm(), stack, period, 1);
        }
      }
    } catch (RuntimeException e) {
      // One unreadable sample (a truncated file, a process gone mid-read) must not stop sampling.
      if (sampleErrors.getAndIncrement() == 0) {
        System.err.println("hearth-agent: a sample could not be resolved (counted, once): " + e);
      }
    }
  }

  /**
   * One controller step: what the agent used over the last second and the settings now in force.
   *
   * @param cpuPercent the agent process's CPU plus its BPF programs' run time, % of one CPU
   * @param bpfPercent the BPF part of it
   * @param eventsPerSecond records received per second
   * @param settings the frequency and allocation interval in force after the step
   */
  public record Control(
      double cpuPercent,
      double bpfPercent,
      double eventsPerSecond,
      AdaptiveController.Settings settings) {}

  /** The last controller step, or null (no budget configured, or not yet a second). */
  public @Nullable Control lastControl() {
    return lastControl;
  }

  private void control() {
    try {
      AdaptiveController c = controller;
      if (c == null || !running) {
        return;
      }
      long now = System.nanoTime();
      long ticks = processCpuTicks();
      long bpf = 0;
      for (int fd : programFds) {
        bpf += BpfStats.runTime(fd)[0];
      }
      long events = samples.get();
      if (lastCpuTicks >= 0) {
        double wall = (now - lastStepNanos) / 1e9;
        double agent = (ticks - lastCpuTicks) / 100.0 / wall * 100; // USER_HZ is 100 on Linux
        double bpfPercent = (bpf - lastBpfNanos) / 1e9 / wall * 100;
        double rate = (events - lastEvents) / wall;
        AdaptiveController.Settings before = c.current();
        AdaptiveController.Settings s = c.step(agent + bpfPercent, rate);
        PerfEvents pe = perfEvents;
        if (s.frequencyHz() != before.frequencyHz() && pe != null) {
          pe.setFrequency(s.frequencyHz());
          currentHz = s.frequencyHz();
        }
        if (s.allocIntervalBytes() != before.allocIntervalBytes()) {
          setAllocInterval(s.allocIntervalBytes());
        }
        if (s.offCpuOneIn() != before.offCpuOneIn()) {
          setOffCpuOneIn(s.offCpuOneIn());
        }
        if (s.offCpuPaused() != before.offCpuPaused()) {
          pauseOffCpu(s.offCpuPaused());
        }
        lastControl = new Control(agent + bpfPercent, bpfPercent, rate, s);
      }
      lastCpuTicks = ticks;
      lastBpfNanos = bpf;
      lastEvents = events;
      lastStepNanos = now;
    } catch (Throwable t) {
      System.err.println("hearth-agent: adaptive control step failed: " + t);
    }
  }

  /** utime + stime of this process, in clock ticks. */
  static long processCpuTicks() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The CPU sampling frequency in force. */
  public int frequencyHz() {
    return currentHz;
  }

  private void flush() {
    try {
      resolver.beforeDrain();
      inUse.report(aggregator);
      sink.accept(aggregator.drain());
      resolver.clearPending();
    } catch (Throwable t) {
      System.err.println("hearth-agent: flush failed: " + t);
    }
  }

  /** Records received so far of one kind ({@code CpuSample.KIND_*}). */
  public long records(int kind) {
    return byKind.get(kind);
  }

  /** Samples received so far. */
  public long samples() {
    return samples.get();
  }

  /** Samples the kernel could not hand over (ring buffer full). */
  public long kernelDropped() {
    BpfObject obj = object;
    int at = BpfLayouts.offset(BpfLayouts.PROFILE_COUNTERS, "samples_dropped");
    long dropped = obj == null || !running ? 0 : obj.readBssLong(at);
    for (BpfObject o : eventObjects) {
      dropped += running ? o.readBssLong(at) : 0;
    }
    return dropped;
  }

  /** The failure that stopped sampling, or null. */
  public @Nullable Throwable failure() {
    return failure;
  }

  /** The aggregate so far, without waiting for the interval (one-shot mode, tests). */
  public Batch drainNow() {
    resolver.beforeDrain();
    inUse.report(aggregator);
    Batch b = aggregator.drain();
    resolver.clearPending();
    return b;
  }

  /** Stops sampling, hands the last partial interval to the sink, and detaches everything. */
  @Override
  public synchronized void close() {
    boolean wasRunning = running;
    running = false;
    boolean pollerGone = true;
    RingBuffer stopping = ringBuffer;
    if (stopping != null) {
      stopping.stop();
    }
    if (wasRunning) {
      try {
        pollerGone = stopped.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pollerGone = false;
      }
    }
    ScheduledExecutorService ctl = controlThread;
    controlThread = null;
    if (ctl != null) {
      ctl.shutdownNow();
    }
    ScheduledExecutorService f = flusher;
    if (f != null) {
      f.shutdownNow();
      flusher = null;
      if (wasRunning) {
        flush();
      }
    }
    RingBuffer rb = ringBuffer;
    ringBuffer = null;
    if (rb != null && pollerGone) {
      rb.close(); // never while the poller may still be inside ring_buffer__poll: leak instead
    }
    allocObject = null;
    offCpuObject = null;
    PythonProcesses py = python;
    python = null;
    if (py != null) {
      py.close();
    }
    BpfObject obj = object;
    object = null;
    if (obj != null) {
      obj.close(); // detaches the links before the perf events close
    }
    for (BpfObject o : eventObjects) {
      o.close();
    }
    eventObjects.clear();
    PerfEvents pe = perfEvents;
    perfEvents = null;
    if (pe != null) {
      pe.close();
    }
    jitMaps.close();
    jvms.close();
    BpfStats st = bpfStats;
    bpfStats = null;
    if (st != null) {
      st.close();
    }
  }
}
