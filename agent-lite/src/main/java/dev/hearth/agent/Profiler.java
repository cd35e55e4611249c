package dev.hearth.agent;

import dev.hearth.agent.alloc.LiveAllocations;
import dev.hearth.agent.bpf.BpfStats;
import dev.hearth.agent.bpf.CpuSample;
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
import dev.hearth.agent.source.AllocSource;
import dev.hearth.agent.source.BlockIoSource;
import dev.hearth.agent.source.CpuSource;
import dev.hearth.agent.source.EventSource;
import dev.hearth.agent.source.Machine;
import dev.hearth.agent.source.OffCpuSource;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  private volatile @Nullable CpuSource cpu;
  private volatile @Nullable AllocSource alloc;
  private volatile @Nullable PythonProcesses python;
  private final HotSpotProcesses jvms = new HotSpotProcesses(objects);
  private volatile @Nullable OffCpuSource offCpu;
  private final List<Integer> programFds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile int currentHz;
  private volatile @Nullable Control lastControl;
  private @Nullable BpfStats bpfStats;
  private @Nullable AdaptiveController controller;
  private long lastCpuTicks = -1;
  private long lastBpfNanos;
  private long lastEvents;
  private long lastStepNanos;
  private final LiveAllocations inUse = new LiveAllocations();
  private final PendingIo pendingIo = new PendingIo();
  private final List<EventSource> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
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
    Machine.check();
    AgentConfig.Events ev = config.events();
    try {
      if (ev.cpu()) {
        CpuSource c = add(CpuSource.start(config, objects, processes));
        cpu = c;
        python = c.python();
      }
      if (ev.offCpu()) {
        offCpu = add(OffCpuSource.start(config));
      }
      if (ev.alloc()) {
        alloc = add(AllocSource.start(config));
      }
      if (ev.blockIo()) {
        add(BlockIoSource.start(config));
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

  /** Adds a started source: its programs count for the budget, its records go to the ring. */
  private <S extends EventSource> S add(S source) {
    sources.add(source);
    programFds.addAll(source.programFds());
    addRingBuffer(source.eventsMapFd());
    return source;
  }

  /** Which allocator the uprobes are on ({@code libc}, {@code jemalloc}, ...), or empty. */
  public String allocatorKind() {
    AllocSource a = alloc;
    return a == null ? "" : a.allocatorKind();
  }

  /** Sends one off-CPU episode in {@code n} (values scaled by n), while running. */
  public void setOffCpuOneIn(long n) {
    OffCpuSource o = offCpu;
    if (o != null && running) {
      o.setOneIn(n);
    }
  }

  /**
   * Detaches the off-CPU programs, or attaches them again under a new epoch (so entries left from
   * before the pause, whose switch-in was never seen, are dropped instead of counting the pause).
   */
  void pauseOffCpu(boolean pause) {
    OffCpuSource o = offCpu;
    if (o != null && running) {
      o.pause(pause);
    }
  }

  /** Changes the allocation sampling interval while running (the adaptive controller). */
  public void setAllocInterval(long bytes) {
    AllocSource a = alloc;
    if (a != null && running) {
      a.setInterval(bytes);
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

  static boolean isRoot() {
    return Machine.isRoot();
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
        CpuSource cpuSource = cpu;
        if (s.frequencyHz() != before.frequencyHz() && cpuSource != null) {
          cpuSource.setFrequency(s.frequencyHz());
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
    long dropped = 0;
    for (EventSource source : sources) {
      dropped += running ? source.kernelDropped() : 0;
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
    alloc = null;
    offCpu = null;
    cpu = null;
    python = null;
    for (EventSource source : sources) {
      source.close();
    }
    sources.clear();
    jitMaps.close();
    jvms.close();
    BpfStats st = bpfStats;
    bpfStats = null;
    if (st != null) {
      st.close();
    }
  }
}
