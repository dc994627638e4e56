package dev.gmpsim.cli;

import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.run.Simulation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** gmpsim run: one scenario, schedtrace lines as it goes, a summary at the end. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run one scenario and print GODEBUG=schedtrace lines and a summary.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "Scenario file (YAML).")
  Path file;

  @Option(names = "--seed", description = "Random seed (default: the scenario's, else 1).")
  Long seed;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Virtual time to simulate, e.g. 10s (default: the scenario's).")
  Long duration;

  @Option(
      names = "--schedtrace",
      converter = DurationConverter.class,
      description = "Print schedtrace lines every so much virtual time, e.g. 1000ms. Like "
          + "GODEBUG=schedtrace, this keeps sysmon from ever sleeping on sysmonwait.")
  Long schedtrace;

  @Option(names = "--scheddetail", description = "Print the scheddetail form (every P, M and G).")
  boolean scheddetail;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write summary.json, schedtrace.txt and timeseries.csv here.")
  Path out;

  @Option(names = "--json", description = "Print summary.json to standard output instead of the human summary.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Scenario scenario = ScenarioLoader.load(file);
    if (out != null) {
      RunOutput.checkWritable(out);
    }
    long s = seed != null ? seed : scenario.seed();
    scenario = scenario.withSeed(s);
    long traceEvery =
        schedtrace != null ? schedtrace
            : scenario.schedtrace() != null ? scenario.schedtrace()
            : scheddetail ? 1_000_000_000L : 0L;
    if (traceEvery == 0 && schedtrace != null) {
      throw new UserError("--schedtrace must be positive");
    }
    RunOptions options =
        new RunOptions(s, duration == null ? 0 : duration, traceEvery, scheddetail, 0);
    if (duration != null && duration == 0) {
      throw new UserError("--duration must be positive");
    }
    long runFor = duration != null ? duration : scenario.duration();
    if (duration != null && Scenario.durationProblem(duration) != null) {
      throw new UserError("--duration " + Scenario.durationProblem(duration));
    }
    if (Scenario.samplingProblem(runFor, traceEvery) != null) {
      throw new UserError((schedtrace != null ? "--schedtrace " : file + ": schedtrace: ")
          + Scenario.samplingProblem(runFor, traceEvery));
    }
    RunResult result = Simulation.runLocally(scenario, options);
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.print(RunOutput.summaryJson(result.summary()));
    } else {
      o.print(result.schedtrace());
      o.println();
      o.print(HumanSummary.format(result.summary()));
    }
    o.flush();
    if (out != null) {
      RunOutput.write(out, result);
      if (!json) {
        o.println("wrote " + out.resolve("summary.json") + ", schedtrace.txt, timeseries.csv");
      }
    }
    String outcome = result.summary().outcome();
    // A fatal outcome is a prediction (the program would die), not a failure of the simulator.
    return outcome.startsWith("invariant-violated") || outcome.startsWith("error")
        ? ExitCodes.FAILURE
        : ExitCodes.OK;
  }
}
