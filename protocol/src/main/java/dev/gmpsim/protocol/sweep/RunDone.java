package dev.gmpsim.protocol.sweep;

import dev.gmpsim.protocol.GmpsimSerializable;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.result.RunSummary;

/**
 * What a node reports for a run: the summary (null if the run failed before producing one), the
 * outcome ("ok", "fatal: ...", "error: ...", "timeout"), the node that ran it, wall time, the
 * attempt, and the whole result ({@code files}) only when the request asked to keep the run's
 * files (null otherwise, so a sweep's messages stay small).
 */
public record RunDone(
    String runId, RunSummary summary, String outcome, String node, long wallNs, int attempt, RunResult files)
    implements GmpsimSerializable {

  public RunDone(String runId, RunSummary summary, String outcome, String node, long wallNs, int attempt) {
    this(runId, summary, outcome, node, wallNs, attempt, null);
  }
}
