package dev.hearth.agent.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hearth.agent.AgentException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code perf_event_open} through libc's variadic {@code syscall}: one software CPU-clock event per
 * online CPU, sampling at a frequency. The fds are closed by {@link #close}.
 */
public final class PerfEvents implements AutoCloseable {
  private static final long SYS_PERF_EVENT_OPEN = 298; // x86-64
  private static final int PERF_TYPE_SOFTWARE = 1;
  private static final long PERF_COUNT_SW_CPU_CLOCK = 0;
  private static final int ATTR_SIZE = 128;
  private static final long FLAG_FREQ = 1L << 10;
  private static final long PERF_FLAG_FD_CLOEXEC = 8;

  private static final MethodHandle SYSCALL =
      Native.LINKER.downcallHandle(
          Native.LIBC.findOrThrow("syscall"),
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
          Linker.Option.firstVariadicArg(1),
          Linker.Option.captureCallState("errno"));
  private static final long PERF_EVENT_IOC_PERIOD = 0x40082404L; // _IOW('$', 4, __u64)
  private static final MethodHandle IOCTL =
      Native.LINKER.downcallHandle(
          Native.LIBC.findOrThrow("ioctl"),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
          Linker.Option.firstVariadicArg(2),
          Linker.Option.captureCallState("errno"));
  private static final MethodHandle CLOSE =
      Native.downcall(Native.LIBC, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

  /** One opened event: its CPU and fd. */
  public record Event(int cpu, int fd) {}

  private final List<Event> events;

  private PerfEvents(List<Event> events) {
    this.events = events;
  }

  /**
   * Opens a CPU-clock event sampling at {@code frequencyHz} on each CPU in {@code cpus}. A CPU that
   * went offline since the list was read is skipped with a note on stderr.
   */
  public static PerfEvents openCpuClock(List<Integer> cpus, int frequencyHz) {
    List<Event> events = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
      attr.set(JAVA_INT, 0, PERF_TYPE_SOFTWARE);
      attr.set(JAVA_INT, 4, ATTR_SIZE);
      attr.set(JAVA_LONG, 8, PERF_COUNT_SW_CPU_CLOCK);
      attr.set(JAVA_LONG, 16, frequencyHz); // sample_freq, because of the freq flag
      attr.set(JAVA_LONG, 40, FLAG_FREQ);
      MemorySegment errno = Native.errnoBuffer(arena);
      for (int cpu : cpus) {
        long fd =
            (long)
                SYSCALL.invokeExact(
                    errno, SYS_PERF_EVENT_OPEN, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
        if (fd < 0) {
          int e = Native.errno(errno);
          if (e == 19 /* ENODEV: CPU offline */) {
            System.err.println("hearth-agent: CPU " + cpu + " is offline, not sampled");
            continue;
          }
          new PerfEvents(events).close();
          throw new BpfException(
              e == 1 || e == 13 ? AgentException.NOT_ROOT : AgentException.UNSUPPORTED,
              "perf_event_open(CPU clock, cpu " + cpu + ")",
              e,
              e == 1 || e == 13
                  ? "run as root (CAP_PERFMON), or lower kernel.perf_event_paranoid"
                  : e == 2 ? "this kernel has no perf events (CONFIG_PERF_EVENTS)" : "");
        }
        events.add(new Event(cpu, (int) fd));
      }
    } catch (AgentException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    return new PerfEvents(events);
  }

  public List<Event> events() {
    return events;
  }

  /** The online CPUs, from {@code /sys/devices/system/cpu/online} ("0-3,5"). */
  public static List<Integer> onlineCpus() {
    try {
      return parseCpuList(Files.readString(Path.of("/sys/devices/system/cpu/online")));
    } catch (IOException e) {
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
        all.add(i);
      }
      return all;
    }
  }

  static List<Integer> parseCpuList(String text) {
    List<Integer> cpus = new ArrayList<>();
    for (String part : text.strip().split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
      for (int c = from; c <= to; c++) {
        cpus.add(c);
      }
    }
    return cpus;
  }

  /**
   * Changes the sampling frequency of every event in place; the attached program stays attached.
   * {@code PERF_EVENT_IOC_PERIOD} takes a period here, not a frequency: the kernel turns a
   * CPU-clock event's frequency into a fixed hrtimer period at open ({@code
   * perf_swevent_init_hrtimer} clears {@code attr.freq}), so the value is 1 s / Hz in nanoseconds.
   * (Passing the frequency would set a period of a few nanoseconds, clamped to 10 µs: 100 kHz.)
   */
  public void setFrequency(int frequencyHz) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(arena);
      MemorySegment value = arena.allocate(JAVA_LONG);
      value.set(JAVA_LONG, 0, 1_000_000_000L / frequencyHz);
      for (Event e : events) {
        int rc = (int) IOCTL.invokeExact(errno, e.fd(), PERF_EVENT_IOC_PERIOD, value);
        if (rc != 0) {
          throw new BpfException(
              AgentException.FAILED,
              "ioctl(PERF_EVENT_IOC_PERIOD, cpu " + e.cpu() + ")",
              Native.errno(errno),
              "");
        }
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public void close() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = Native.errnoBuffer(arena);
      for (Event e : events) {
        int unused = (int) CLOSE.invokeExact(errno, e.fd());
      }
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    events.clear();
  }
}
