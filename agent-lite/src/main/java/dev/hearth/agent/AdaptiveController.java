package dev.hearth.agent;

/**
 * Keeps the agent inside its budgets: its own CPU (the agent process plus its BPF programs' run
 * time, % of one CPU) and its events per second. Each {@link #step} takes the last second's use and
 * returns what to sample next: the CPU sampling frequency, the allocation sampling interval and the
 * share of off-CPU episodes recorded (one in N). Over a budget, all three are scaled by the
 * overshoot (at most 4× per step); well under both budgets (below 60%), they creep back (×1.25 per
 * step) toward the configured values, never beyond them. What it cannot lower is the cost of the
 * hooks themselves (off-CPU runs on every context switch and syscall exit, allocations on every
 * allocator call). Pure: the profiler measures and applies.
 */
public final class AdaptiveController {
  static final double RELAX_BELOW = 0.6;
  static final long MAX_INTERVAL = 1L << 30;
  static final long MAX_ONE_IN = 1L << 20;
  static final int FIRST_PAUSE_STEPS = 10;
  static final int MAX_PAUSE_STEPS = 300;

  private final double cpuBudgetPercent;
  private final long eventBudget;
  private final int maxHz;
  private final long minInterval;
  private int hz;
  private long interval;
  private long offCpuOneIn = 1;
  private boolean offCpuPaused;
  private int pauseLeft;
  private int nextPause = FIRST_PAUSE_STEPS;

  /** The settings in force after a step. */
  public record Settings(
      int frequencyHz, long allocIntervalBytes, long offCpuOneIn, boolean offCpuPaused) {}

  public AdaptiveController(
      double cpuBudgetPercent, long eventBudget, int configuredHz, long configuredInterval) {
    this.cpuBudgetPercent = cpuBudgetPercent;
    this.eventBudget = eventBudget;
    this.maxHz = configuredHz;
    this.minInterval = configuredInterval;
    this.hz = configuredHz;
    this.interval = configuredInterval;
  }

  /**
   * @param cpuPercent the agent's CPU over the last step, % of one CPU (process + BPF)
   * @param eventsPerSecond records received per second over the last step
   */
  public Settings step(double cpuPercent, double eventsPerSecond) {
    double over = 1;
    if (cpuBudgetPercent > 0) {
      over = Math.max(over, cpuPercent / cpuBudgetPercent);
    }
    if (eventBudget > 0) {
      over = Math.max(over, eventsPerSecond / eventBudget);
    }
    boolean relaxed =
        (cpuBudgetPercent <= 0 || cpuPercent < RELAX_BELOW * cpuBudgetPercent)
            && (eventBudget <= 0 || eventsPerSecond < RELAX_BELOW * eventBudget);
    if (offCpuPaused && --pauseLeft <= 0 && relaxed) {
      offCpuPaused = false; // resumes at the sparsest sampling, then creeps back
    }
    if (over > 1.05 && !offCpuPaused && offCpuOneIn >= MAX_ONE_IN) {
      // Nothing left to thin: the off-CPU hooks' own cost is over budget. Pause them, for
      // longer each time (10 s, 20 s, … 300 s) so the budget is not lost again at once.
      offCpuPaused = true;
      pauseLeft = nextPause;
      nextPause = Math.min(MAX_PAUSE_STEPS, nextPause * 2);
    } else if (over > 1.05) {
      double f = Math.min(4, over);
      hz = Math.max(1, (int) Math.floor(hz / f));
      interval = Math.min(MAX_INTERVAL, (long) Math.ceil(interval * f));
      offCpuOneIn = Math.min(MAX_ONE_IN, (long) Math.ceil(offCpuOneIn * f));
    } else if (relaxed) {
      hz = Math.min(maxHz, Math.max(hz + 1, (int) Math.round(hz * 1.25)));
      interval = Math.max(minInterval, (long) (interval / 1.25));
      if (!offCpuPaused) {
        offCpuOneIn = Math.max(1, (long) (offCpuOneIn / 1.25));
      }
    }
    return current();
  }

  public Settings current() {
    return new Settings(hz, interval, offCpuOneIn, offCpuPaused);
  }
}
