package dev.gmpsim.protocol.sweep;

import dev.gmpsim.protocol.GmpsimSerializable;
import dev.gmpsim.protocol.result.RunSummary;

/**
 * What a node reports for a run: the summary (null if the run failed before producing one), the
 * outcome ("ok", "fatal: ...", "error: ...", "timeout"), the node that ran it, wall time, and the
 * attempt.
 */
public record RunDone(
    String runId, RunSummary summary, String outcome, String node, long wallNs, int attempt)
    implements GmpsimSerializable {}
