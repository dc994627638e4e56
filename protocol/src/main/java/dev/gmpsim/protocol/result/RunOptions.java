package dev.gmpsim.protocol.result;

/**
 * How to run a scenario: the seed, an optional duration override, the schedtrace interval
 * (0: off; like GODEBUG=schedtrace it also keeps sysmon from ever sleeping on sysmonwait) and
 * the time-series sample interval (0: a thousandth of the run, at least 1ms).
 */
public record RunOptions(long seed, long durationNs, long schedtraceNs, boolean scheddetail, long sampleNs) {
  public RunOptions {
    if (durationNs < 0 || schedtraceNs < 0 || sampleNs < 0) {
      throw new IllegalArgumentException("durations in RunOptions cannot be negative");
    }
  }

  public static RunOptions seed(long seed) {
    return new RunOptions(seed, 0, 0, false, 0);
  }

  public RunOptions withSchedtrace(long ns, boolean detail) {
    return new RunOptions(seed, durationNs, ns, detail, sampleNs);
  }

  public RunOptions withDuration(long ns) {
    return new RunOptions(seed, ns, schedtraceNs, scheddetail, sampleNs);
  }
}
