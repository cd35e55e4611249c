package dev.hearth.agent.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * BPF programs' run time: {@link #enable} turns the kernel's run-time statistics on for as long as
 * the returned handle is open ({@code BPF_ENABLE_STATS}, no global sysctl left behind), and {@link
 * #runTimeNanos} reads a program's total ({@code bpf_prog_info.run_time_ns}).
 */
public final class BpfStats implements AutoCloseable {
  private static final int BPF_STATS_RUN_TIME = 0;
  private static final int INFO_SIZE = 232; // sizeof(struct bpf_prog_info), Linux 6.x uapi
  private static final int OFF_RUN_TIME_NS = 192;
  private static final int OFF_RUN_CNT = 200;

  private static final MethodHandle CLOSE =
      Native.downcall(Native.LIBC, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

  private final int fd;

  private BpfStats(int fd) {
    this.fd = fd;
  }

  /** Turns run-time statistics on; when the kernel refuses, reads will give 0. */
  public static BpfStats enable() {
    try (Arena local = Arena.ofConfined()) {
      int fd = (int) Libbpf.ENABLE_STATS.invokeExact(Native.errnoBuffer(local), BPF_STATS_RUN_TIME);
      return new BpfStats(fd);
    } catch (Throwable t) {
      return new BpfStats(-1);
    }
  }

  /** Total run time (ns) and runs of the program with fd {@code programFd}; {0, 0} if unknown. */
  public static long[] runTime(int programFd) {
    try (Arena local = Arena.ofConfined()) {
      MemorySegment info = local.allocate(INFO_SIZE, 8);
      MemorySegment len = local.allocate(ValueLayout.JAVA_INT);
      len.set(ValueLayout.JAVA_INT, 0, INFO_SIZE);
      int rc =
          (int)
              Libbpf.OBJ_GET_INFO_BY_FD.invokeExact(
                  Native.errnoBuffer(local), programFd, info, len);
      if (rc != 0) {
        return new long[2];
      }
      return new long[] {
        info.get(ValueLayout.JAVA_LONG, OFF_RUN_TIME_NS),
        info.get(ValueLayout.JAVA_LONG, OFF_RUN_CNT)
      };
    } catch (Throwable t) {
      return new long[2];
    }
  }

  @Override
  public void close() {
    if (fd >= 0) {
      try (Arena local = Arena.ofConfined()) {
        int unused = (int) CLOSE.invokeExact(Native.errnoBuffer(local), fd);
      } catch (Throwable t) {
        // closing a stats fd cannot usefully fail
      }
    }
  }
}
