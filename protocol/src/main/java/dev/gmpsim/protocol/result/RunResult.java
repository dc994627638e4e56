package dev.gmpsim.protocol.result;

/** Everything one run produced: the summary, the schedtrace text and the time series (CSV). */
public record RunResult(RunSummary summary, String schedtrace, String timeseriesCsv) {}
