package dev.gmpsim.cli;

import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.run.SeedRuns;
import dev.gmpsim.run.Simulation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** gmpsim run: one scenario, schedtrace lines as it goes, a summary at the end. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run one scenario and print GODEBUG=schedtrace lines and a summary.",
      "With --seeds N, run it over N seeds and print the spread of the headline figures.",
      "Exit codes: 0 ok (a fatal:, deadlock: or stalled: outcome is a prediction), 1 the run failed (invariant-violated,"
          + " error), 2 bad input, 3 a limit of the simulator ended the run (limit:, timeout)."
    })
final class RunCommand implements Callable<Integer> {
  /** A limit of the simulator (not of the modelled runtime) ended the run. */
  static final int LIMIT = 3;

  @Parameters(index = "0", paramLabel = "FILE", description = "Scenario file (YAML).")
  Path file;

  @Option(names = "--seed", description = "Random seed (default: the scenario's, else 1). With --seeds: the first seed.")
  Long seed;

  @Option(names = {"--seeds", "--replicas"}, paramLabel = "N",
      description = "Run N seeds (the seed and the N-1 after it), --parallelism at a time, and "
          + "print median, p90, min and max of each headline figure with the seeds of the extremes.")
  Integer seeds;

  @Option(names = "--parallelism", paramLabel = "N",
      description = "Runs at once with --seeds (default: one per core).")
  Integer parallelism;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Virtual time to simulate, e.g. 10s (default: the scenario's).")
  Long duration;

  @Option(
      names = "--schedtrace",
      converter = DurationConverter.class,
      description = "Print schedtrace lines every so much virtual time, e.g. 1000ms. Like "
          + "GODEBUG=schedtrace, this keeps sysmon from ever sleeping on sysmonwait, so it can "
          + "change the result (summary.json records it).")
  Long schedtrace;

  @Option(names = "--scheddetail", description = "Print the scheddetail form (every P, M and G).")
  boolean scheddetail;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write summary.json, timeseries.csv and (with --schedtrace) schedtrace.txt here; "
          + "with --seeds, spread.json, seeds.csv and one folder per seed.")
  Path out;

  @Option(names = "--json",
      description = "Print summary.json (with --seeds: spread.json) instead of the human summary. "
          + "Schedtrace lines are not printed then: keep them with --out.")
  boolean json;

  @Option(names = "--timeout", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Wall-clock limit per run, e.g. 30m (default: 10m); the run then ends with outcome timeout.")
  Long timeout;

  @Option(names = "--max-goroutines", paramLabel = "N",
      description = "Goroutines alive at once before the run ends with outcome 'limit: N goroutines' "
          + "(default: 2,000,000, about 1.2 GB of heap).")
  Long maxGoroutines;

  @Option(names = "--max-events", paramLabel = "N",
      description = "Messages pending in the event list before the run ends with outcome "
          + "'limit: N pending events' (default: 10,000,000).")
  Long maxEvents;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final long DEFAULT_TIMEOUT_NS = 600_000_000_000L;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    Scenario scenario = ScenarioLoader.load(file);
    long traceEvery =
        schedtrace != null ? schedtrace
            : scenario.schedtrace() != null ? scenario.schedtrace()
            : scheddetail ? 1_000_000_000L : 0L;
    long runFor = duration != null ? duration : scenario.duration();
    if (duration != null && Scenario.durationProblem(duration) != null) {
      throw new UserError("--duration " + Scenario.durationProblem(duration));
    }
    if (Scenario.samplingProblem(runFor, traceEvery) != null) {
      throw new UserError((schedtrace != null ? "--schedtrace " : file + ": schedtrace: ")
          + Scenario.samplingProblem(runFor, traceEvery));
    }
    OutputFolder folder = out == null ? null : OutputFolder.prepare(out, "--out");
    try {
      long s = seed != null ? seed : scenario.seed();
      RunOptions options =
          new RunOptions(s, duration == null ? 0 : duration, traceEvery, scheddetail, 0)
              .withWallTimeout(timeout == null ? DEFAULT_TIMEOUT_NS : timeout)
              .withLimits(maxGoroutines == null ? 0 : maxGoroutines, maxEvents == null ? 0 : maxEvents);
      int code = seeds == null ? runOne(scenario.withSeed(s), options, folder) : runSeeds(scenario, options, s, folder);
      if (folder != null) {
        folder.done();
      }
      return code;
    } finally {
      if (folder != null) {
        folder.abandonIfUnfinished();
      }
    }
  }

  private void checkOptions() throws UserError {
    if (duration != null && duration == 0) {
      throw new UserError("--duration must be positive");
    }
    if (schedtrace != null && schedtrace == 0) {
      throw new UserError("--schedtrace must be positive");
    }
    if (timeout != null && timeout == 0) {
      throw new UserError("--timeout must be positive (for a very long run give a long one, e.g. 24h)");
    }
    if (maxGoroutines != null && maxGoroutines < 1) {
      throw new UserError("--max-goroutines must be at least 1, got " + maxGoroutines);
    }
    if (maxEvents != null && maxEvents < 1) {
      throw new UserError("--max-events must be at least 1, got " + maxEvents);
    }
    if (seeds != null && (seeds < 1 || seeds > 100_000)) {
      throw new UserError("--seeds must be 1..100000, got " + seeds);
    }
    if (parallelism != null && seeds == null) {
      throw new UserError("--parallelism applies to --seeds only");
    }
    if (parallelism != null && (parallelism < 1 || parallelism > 1024)) {
      throw new UserError("--parallelism must be 1..1024, got " + parallelism);
    }
    if (seeds != null && (schedtrace != null || scheddetail) && out == null && !json) {
      throw new UserError("--schedtrace with --seeds needs --out DIR (each seed's trace goes to its folder)");
    }
  }

  private int runOne(Scenario scenario, RunOptions options, OutputFolder folder) throws Exception {
    RunResult result = Simulation.runLocally(scenario, options);
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.print(RunOutput.summaryJson(result.summary()));
    } else {
      o.print(result.schedtrace());
      if (!result.schedtrace().isEmpty()) {
        o.println();
      }
      o.print(HumanSummary.format(result.summary()));
    }
    o.flush();
    if (folder != null) {
      List<Path> wrote = RunOutput.write(folder.path(), result);
      if (!json) {
        o.println("wrote " + RunOutput.list(wrote));
      }
    }
    return exitCode(result.summary().outcome());
  }

  private int runSeeds(Scenario scenario, RunOptions options, long first, OutputFolder folder) throws Exception {
    long[] list = new long[seeds];
    for (int i = 0; i < seeds; i++) {
      list[i] = first + i;
    }
    int par = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
    PrintWriter err = spec.commandLine().getErr();
    // Progress only for a person at a terminal: scripts and files get no carriage returns.
    boolean progress = !json && System.console() != null;
    int[] finished = {0};
    List<RunResult> results = SeedRuns.run(scenario, options, list, par, r -> {
      synchronized (finished) {
        finished[0]++;
        if (progress) {
          err.print("\rgmpsim: " + finished[0] + " of " + seeds + " seeds done");
          err.flush();
        }
      }
    });
    if (progress) {
      err.print("\r\033[K");
      err.flush();
    }
    SeedSpread spread = SeedSpread.of(file.toString(), results, Math.min(par, seeds));
    PrintWriter o = spec.commandLine().getOut();
    o.print(json ? spread.json() : spread.human());
    o.flush();
    if (folder != null) {
      List<Path> wrote = new java.util.ArrayList<>();
      for (RunResult r : results) {
        Path dir = folder.path().resolve("seed-" + r.summary().seed());
        wrote.add(dir);
        RunOutput.write(dir, r);
      }
      wrote.add(RunOutput.put(folder.path(), "seeds.csv", spread.csv()));
      wrote.add(RunOutput.put(folder.path(), "spread.json", spread.json()));
      if (!json) {
        o.println("wrote " + RunOutput.list(wrote));
      }
    }
    // The worst outcome decides: a failed run, then a run a limit ended, then ok.
    boolean limited = false;
    for (RunResult r : results) {
      int c = exitCode(r.summary().outcome());
      if (c == ExitCodes.FAILURE) {
        return c;
      }
      limited |= c == LIMIT;
    }
    return limited ? LIMIT : ExitCodes.OK;
  }

  static int exitCode(String outcome) {
    // A fatal outcome is a prediction (the program would die), not a failure of the simulator.
    if (outcome.startsWith("invariant-violated") || outcome.startsWith("error")) {
      return ExitCodes.FAILURE;
    }
    if (outcome.startsWith("limit:") || outcome.equals("timeout")) {
      return LIMIT;
    }
    return ExitCodes.OK;
  }
}
