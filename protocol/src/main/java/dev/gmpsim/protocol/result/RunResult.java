package dev.gmpsim.protocol.result;

/**
 * Everything one run produced: the summary, the schedtrace text, the time series (CSV) and, at
 * the same sample times, how many Ps were running Go code or in a syscall (CSV: {@code
 * time_ns,running_ps,syscall_ps}; for pictures, not written as a file).
 */
public record RunResult(RunSummary summary, String schedtrace, String timeseriesCsv, String pstatesCsv) {
  public RunResult(RunSummary summary, String schedtrace, String timeseriesCsv) {
    this(summary, schedtrace, timeseriesCsv, "");
  }
}
