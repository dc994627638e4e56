package dev.gmpsim.protocol.result;

/**
 * Everything one run produced: the summary, the schedtrace text, the time series (CSV) and, at
 * the same sample times, how many Ps were running Go code or in a syscall (CSV: {@code
 * time_ns,running_ps,syscall_ps}; for pictures, not written as a file). {@code mailboxEvents}
 * is how many of the run's events were handed to their actor through its Akka mailbox rather
 * than handled in place (-1 when not known): a count of the engine's work for {@code gmpsim
 * bench}, not part of the model's results, so not in the summary.
 */
public record RunResult(
    RunSummary summary, String schedtrace, String timeseriesCsv, String pstatesCsv, long mailboxEvents) {
  public RunResult(RunSummary summary, String schedtrace, String timeseriesCsv, String pstatesCsv) {
    this(summary, schedtrace, timeseriesCsv, pstatesCsv, -1);
  }

  public RunResult(RunSummary summary, String schedtrace, String timeseriesCsv) {
    this(summary, schedtrace, timeseriesCsv, "");
  }
}
