package dev.hearth.agent;

/** For tests outside this package: the root check of {@link Workloads#requireRoot()}. */
public final class TestRoot {
  private TestRoot() {}

  public static void require() {
    Workloads.requireRoot();
  }
}
