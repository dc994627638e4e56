package dev.gmpsim.cli;

import dev.gmpsim.model.TraceRecorder;
import dev.gmpsim.pictures.RunPictures;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.scenario.Nanos;
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
      description = "Write summary.json, timeseries.csv, threads.svg, trace.json and (with "
          + "--schedtrace) schedtrace.txt here; with --seeds, spread.json, seeds.csv and one folder "
          + "per seed (each without trace.json).")
  Path out;

  @Option(names = "--trace-window", paramLabel = "FROM..TO",
      description = "trace.json covers only this stretch of virtual time, e.g. 1s..1200ms "
          + "(default: the whole run).")
  String traceWindowText;

  @Option(names = "--trace-max-events", paramLabel = "N",
      description = "Events trace.json keeps at most (default: 1,000,000, about 100 MB); later ones "
          + "are left out and the file says so in its otherData.")
  Long traceMaxEvents;

  @Option(names = "--no-trace", description = "With --out, do not record or write trace.json.")
  boolean noTrace;

  /** --trace-window as [from, to] in ns. */
  private long[] traceWindow;

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
    if (traceWindowText != null) {
      traceWindow = traceWindow(traceWindowText, runFor);
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

  /** "1s..1200ms": virtual time from, to; inside the run. */
  static long[] traceWindow(String text, long runFor) throws UserError {
    int dots = text.indexOf("..");
    if (dots < 0) {
      throw new UserError("--trace-window must be FROM..TO, e.g. 1s..1200ms, got '" + text + "'");
    }
    long from;
    long to;
    try {
      from = Nanos.parse(text.substring(0, dots).trim());
      to = Nanos.parse(text.substring(dots + 2).trim());
    } catch (IllegalArgumentException e) {
      throw new UserError("--trace-window " + text + ": " + e.getMessage());
    }
    if (to <= from) {
      throw new UserError("--trace-window " + text + ": the window ends before it starts");
    }
    if (from >= runFor) {
      throw new UserError("--trace-window " + text + ": starts at or after the end of the run ("
          + Nanos.format(runFor) + ")");
    }
    return new long[] {from, to};
  }

  private void checkOptions() throws UserError {
    if ((traceWindowText != null || traceMaxEvents != null || noTrace) && out == null) {
      throw new UserError("--trace-window, --trace-max-events and --no-trace need --out DIR (trace.json goes there)");
    }
    if ((traceWindowText != null || traceMaxEvents != null) && seeds != null) {
      throw new UserError("--trace-window and --trace-max-events apply to one run, not --seeds");
    }
    if ((traceWindowText != null || traceMaxEvents != null) && noTrace) {
      throw new UserError("--trace-window and --trace-max-events make no sense with --no-trace");
    }
    if (traceMaxEvents != null && traceMaxEvents < 1) {
      throw new UserError("--trace-max-events must be at least 1, got " + traceMaxEvents);
    }
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
    TraceRecorder trace = folder == null || noTrace ? null : RunPictures.recorder(
        traceWindow == null ? 0 : traceWindow[0],
        traceWindow == null ? Long.MAX_VALUE : traceWindow[1],
        traceMaxEvents == null ? RunPictures.DEFAULT_MAX_EVENTS : traceMaxEvents);
    RunResult result = Simulation.runLocally(scenario, options, trace);
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
      List<Path> wrote = RunOutput.write(folder.path(), result, scenario.faults(), trace);
      // The paths close the output; with --json stdout is the summary alone, so they go to stderr.
      PrintWriter where = json ? spec.commandLine().getErr() : o;
      where.println(RunOutput.list(wrote));
      where.flush();
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
        RunOutput.write(dir, r, scenario.faults(), null);
      }
      wrote.add(RunOutput.put(folder.path(), "seeds.csv", spread.csv()));
      wrote.add(RunOutput.put(folder.path(), "spread.json", spread.json()));
      PrintWriter where = json ? spec.commandLine().getErr() : o;
      where.println(RunOutput.list(wrote));
      where.flush();
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
