package dev.gmpsim.sweep;

import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.nio.file.Path;
import java.util.List;

/**
 * A sweep file expanded into runs, ready for the coordinator.
 *
 * @param file the sweep file
 * @param name the sweep's name (default: the file name without .yaml)
 * @param description free text from the file
 * @param base the base scenario file, or null when the scenario is written inline
 * @param baseScenario the base scenario as loaded, before any parameter or override
 * @param seed the sweep seed; replica r of every point runs with seed {@code seed + r}
 * @param replicas runs per point (each with its own seed)
 * @param duration the duration override in virtual nanoseconds, or null
 * @param parameters the swept parameters, in file order
 * @param points distinct parameter points (the product of the axes' sizes)
 * @param metrics summary fields to report, dotted ({@code threads.peak}); every fixed summary
 *     field when the file names none
 * @param runs the runs in expansion order: points in file order (the first axis varies slowest),
 *     replicas innermost; every id is unique, attempt is 1
 * @param duplicates runs left out because an earlier run resolved to the same scenario and seed
 *     (same id), e.g. integer samples that round to the same value
 */
public record SweepPlan(
    Path file,
    String name,
    String description,
    Path base,
    Scenario baseScenario,
    long seed,
    int replicas,
    Long duration,
    List<SweepParameter> parameters,
    int points,
    List<String> metrics,
    List<RunRequest> runs,
    int duplicates) {

  public SweepPlan {
    parameters = List.copyOf(parameters);
    metrics = List.copyOf(metrics);
    runs = List.copyOf(runs);
  }

  /** The run with this id, or null. */
  public RunRequest run(String runId) {
    for (RunRequest r : runs) {
      if (r.runId().equals(runId)) {
        return r;
      }
    }
    return null;
  }

  /** Total virtual time of all runs, in nanoseconds (for estimates). */
  public long virtualNs() {
    long sum = 0;
    for (RunRequest r : runs) {
      sum += r.scenario().duration();
    }
    return sum;
  }

}
