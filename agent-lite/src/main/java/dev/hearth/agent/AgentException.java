package dev.hearth.agent;

/**
 * A failure the agent reports to its user with a message that says what to do, and the process exit
 * code that goes with it.
 */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Bad command line or configuration. */
  public static final int USAGE = 2;

  /** Not root (CAP_BPF and CAP_PERFMON are missing). */
  public static final int NOT_ROOT = 3;

  /** The kernel lacks what the agent needs: BTF, perf events, BPF. */
  public static final int UNSUPPORTED = 4;

  /** The kernel refused a BPF program (the verifier's log is in the message). */
  public static final int PROGRAM_REFUSED = 5;

  /** Anything else. */
  public static final int FAILED = 1;

  private final int exitCode;

  public AgentException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public AgentException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
