package dev.gmpsim.protocol.result;

/**
 * How to run a scenario: the seed, an optional duration override, the schedtrace interval
 * (0: off; like GODEBUG=schedtrace it also keeps sysmon from ever sleeping on sysmonwait), the
 * time-series sample interval (0: a thousandth of the run, at least 1ms), a wall-clock limit
 * (0: none) and the simulator's own resource limits (0: the defaults below).
 */
public record RunOptions(
    long seed,
    long durationNs,
    long schedtraceNs,
    boolean scheddetail,
    long sampleNs,
    long wallTimeoutNs,
    long maxGoroutines,
    long maxEvents) {
  /**
   * Goroutines alive at once. About 600 bytes of heap each, so the default fits a 2 GiB heap
   * (a million parked goroutines were measured at 784 MB resident).
   */
  public static final long DEFAULT_MAX_GOROUTINES = 2_000_000L;

  /** Messages waiting in a run's event list at once (about 100 bytes each). */
  public static final long DEFAULT_MAX_EVENTS = 10_000_000L;

  public RunOptions {
    if (durationNs < 0 || schedtraceNs < 0 || sampleNs < 0 || wallTimeoutNs < 0) {
      throw new IllegalArgumentException("durations in RunOptions cannot be negative");
    }
    if (maxGoroutines < 0 || maxEvents < 0) {
      throw new IllegalArgumentException("limits in RunOptions cannot be negative");
    }
  }

  public RunOptions(long seed, long durationNs, long schedtraceNs, boolean scheddetail, long sampleNs) {
    this(seed, durationNs, schedtraceNs, scheddetail, sampleNs, 0, 0, 0);
  }

  public static RunOptions seed(long seed) {
    return new RunOptions(seed, 0, 0, false, 0, 0, 0, 0);
  }

  public RunOptions withSeed(long s) {
    return new RunOptions(s, durationNs, schedtraceNs, scheddetail, sampleNs, wallTimeoutNs, maxGoroutines, maxEvents);
  }

  public RunOptions withSchedtrace(long ns, boolean detail) {
    return new RunOptions(seed, durationNs, ns, detail, sampleNs, wallTimeoutNs, maxGoroutines, maxEvents);
  }

  public RunOptions withDuration(long ns) {
    return new RunOptions(seed, ns, schedtraceNs, scheddetail, sampleNs, wallTimeoutNs, maxGoroutines, maxEvents);
  }

  /** Ends the run with outcome "timeout" once it has taken this much wall time (0: never). */
  public RunOptions withWallTimeout(long ns) {
    return new RunOptions(seed, durationNs, schedtraceNs, scheddetail, sampleNs, ns, maxGoroutines, maxEvents);
  }

  /** Ends the run with outcome "limit: ..." when either is passed (0: the default). */
  public RunOptions withLimits(long goroutines, long events) {
    return new RunOptions(seed, durationNs, schedtraceNs, scheddetail, sampleNs, wallTimeoutNs, goroutines, events);
  }

  public long goroutineLimit() {
    return maxGoroutines > 0 ? maxGoroutines : DEFAULT_MAX_GOROUTINES;
  }

  public long eventLimit() {
    return maxEvents > 0 ? maxEvents : DEFAULT_MAX_EVENTS;
  }
}
