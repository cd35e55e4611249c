package dev.hearth.agent.bpf;

import dev.hearth.agent.AgentException;

/**
 * A failed libbpf or kernel operation: which operation, the errno and its text, and what to do
 * about it.
 */
public final class BpfException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final int errno;

  public BpfException(int exitCode, String operation, int errno, String fix) {
    super(exitCode, message(operation, errno, fix));
    this.operation = operation;
    this.errno = errno;
  }

  private static String message(String operation, int errno, String fix) {
    String why =
        errno == 0 ? "failed" : "failed: " + Native.strerror(errno) + " (errno " + errno + ")";
    return operation + " " + why + (fix.isEmpty() ? "" : ". " + fix);
  }

  public String operation() {
    return operation;
  }

  public int errno() {
    return errno;
  }
}
