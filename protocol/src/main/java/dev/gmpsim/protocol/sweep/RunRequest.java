package dev.gmpsim.protocol.sweep;

import dev.gmpsim.protocol.GmpsimSerializable;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.Map;

/**
 * One run of a sweep: its stable id (a hash of the resolved scenario and seed), the scenario
 * with the sweep's parameters applied, the seed, the parameter values that made it (for the
 * result rows), which attempt this is, and whether the node sends back the run's files
 * (schedtrace, time series: {@code sweep --keep-runs}) besides its summary.
 */
public record RunRequest(
    String runId, Scenario scenario, long seed, Map<String, String> parameters, int attempt, boolean keepFiles)
    implements GmpsimSerializable {

  /** A run whose files are not kept (only its summary comes back). */
  public RunRequest(String runId, Scenario scenario, long seed, Map<String, String> parameters, int attempt) {
    this(runId, scenario, seed, parameters, attempt, false);
  }

  /** The same run, as attempt {@code n}. */
  public RunRequest withAttempt(int n) {
    return new RunRequest(runId, scenario, seed, parameters, n, keepFiles);
  }

  /** The same run, its files kept or not. */
  public RunRequest keepingFiles(boolean keep) {
    return new RunRequest(runId, scenario, seed, parameters, attempt, keep);
  }
}
