package dev.gmpsim.protocol.result;

/**
 * How to run a scenario: the seed, an optional duration override, a wall-clock limit, the
 * schedtrace interval
 * (0: off; like GODEBUG=schedtrace it also keeps sysmon from ever sleeping on sysmonwait) and
 * the time-series sample interval (0: a thousandth of the run, at least 1ms).
 */
public record RunOptions(
    long seed, long durationNs, long schedtraceNs, boolean scheddetail, long sampleNs, long wallTimeoutNs) {
  public RunOptions {
    if (durationNs < 0 || schedtraceNs < 0 || sampleNs < 0 || wallTimeoutNs < 0) {
      throw new IllegalArgumentException("durations in RunOptions cannot be negative");
    }
  }

  public RunOptions(long seed, long durationNs, long schedtraceNs, boolean scheddetail, long sampleNs) {
    this(seed, durationNs, schedtraceNs, scheddetail, sampleNs, 0);
  }

  public static RunOptions seed(long seed) {
    return new RunOptions(seed, 0, 0, false, 0, 0);
  }

  public RunOptions withSchedtrace(long ns, boolean detail) {
    return new RunOptions(seed, durationNs, ns, detail, sampleNs, wallTimeoutNs);
  }

  public RunOptions withDuration(long ns) {
    return new RunOptions(seed, ns, schedtraceNs, scheddetail, sampleNs, wallTimeoutNs);
  }

  /** Ends the run with outcome "timeout" once it has taken this much wall time (0: never). */
  public RunOptions withWallTimeout(long ns) {
    return new RunOptions(seed, durationNs, schedtraceNs, scheddetail, sampleNs, ns);
  }
}
