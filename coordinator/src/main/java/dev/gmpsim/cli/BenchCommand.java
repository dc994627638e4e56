package dev.gmpsim.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.cli.BenchReport.Bench;
import dev.gmpsim.cli.BenchReport.Row;
import dev.gmpsim.cli.BenchRounds.Plan;
import dev.gmpsim.cli.BenchRounds.Timing;
import dev.gmpsim.cli.BenchRounds.Workload;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * gmpsim bench: how fast the model simulates. Each workload runs on one run's single-threaded
 * dispatcher; a plain single-threaded event loop is timed the same way in the same process, in
 * turn with the workloads ({@link BenchRounds}), and the table gives medians with min-max over
 * the rounds ({@link BenchStats}), with the bytes allocated per event ({@link BenchAlloc}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure simulation speed on the example workloads against a plain event loop.")
final class BenchCommand implements Callable<Integer> {
  static final long SECOND = 1_000_000_000L;

  @Parameters(paramLabel = "FILE", arity = "0..*",
      description = "Scenario files (default: examples/workload-*.yaml).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--quick", description = "The same rounds with shorter timings (200ms each), "
      + "runs cut to 2s of virtual time, one warm-up round; under a minute in all.")
  boolean quick;

  @Option(names = "--sweep", arity = "0..1", fallbackValue = "examples/sweeps/throughput.yaml",
      paramLabel = "SWEEP", description = "Instead: sweep throughput (runs/min) on one node and on two nodes "
          + "(this process and a second JVM on 127.0.0.1), one run at a time on each (default sweep: ${FALLBACK-VALUE}); "
          + "exit code 1 and no figure if a phase stalls (no result for 2 minutes), a run fails or a node is lost.")
  Path sweep;

  @Option(names = "--scale", description = "Instead: what a big scenario costs: events/s, ns per event and heap for "
      + "workload A at 500, 5,000 and 50,000 connections, workload C with 50ms and 500ms cgo calls and a "
      + "million parked goroutines, each run once after a warm-up (3s of virtual time, 1s with --quick).")
  boolean scale;

  @Option(names = "--repeat", paramLabel = "N",
      description = "Measured rounds: timings per workload, of which the median and min-max are reported (default: 5).")
  Integer repeat;

  @Option(names = "--warmup", paramLabel = "N",
      description = "Rounds run first to warm the JIT, not reported (default: 1).")
  Integer warmup;

  @Option(names = "--min-time", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Each timing repeats its workload's run until this much wall time has passed "
          + "(default: 1s, 200ms with --quick).")
  Long minTime;

  @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Cut each run to at most this much virtual time (default: the scenario's; 2s with --quick).")
  Long duration;

  @Option(names = "--json", description = "Print one JSON document instead of the table (schema in docs/bench.md).")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Plan plan = plan();
    if (sweep != null) {
      try {
        return SweepBench.run(sweep, out);
      } catch (SweepBench.Failed e) {
        out.flush();
        err.println("gmpsim: bench --sweep: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
    }
    if (scale) {
      return BenchScale.run(out, err, quick, json);
    }
    if (files.isEmpty()) {
      try (Stream<Path> s = Files.list(Path.of("examples"))) {
        s.filter(p -> p.getFileName().toString().matches("workload-[a-e]-.*\\.yaml"))
            .sorted()
            .forEach(files::add);
      }
    }
    if (files.isEmpty()) {
      throw new UserError("no scenario files given and none found in examples/");
    }
    long cap = duration != null ? duration : quick ? 2 * SECOND : 0;
    if (duration != null && duration <= 0) {
      throw new UserError("--duration must be more than 0");
    }
    List<Scenario> scenarios = new ArrayList<>();
    for (Path f : files) {
      Scenario s = ScenarioLoader.load(f); // every file is read before anything is timed
      scenarios.add(cap > 0 ? s.withDuration(Math.min(s.duration(), cap)) : s);
    }
    Bench bench;
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "gmpsim-bench", BenchWorkloads.config());
    try {
      if (!json) {
        out.println("gmpsim bench on " + BenchReport.machine());
        out.println(BenchReport.planLine(plan, quick, cap, scenarios.size()));
        out.flush();
      }
      List<Workload> workloads = new ArrayList<>();
      for (Scenario s : scenarios) {
        workloads.add(BenchWorkloads.model(system, s));
      }
      List<List<Timing>> timings = BenchRounds.run(plan, BenchWorkloads.plainLoop(), workloads, System::nanoTime,
          (round, of) -> {
            err.println(round < 0 ? "gmpsim bench: warm-up round " + -round + " of " + of
                : "gmpsim bench: round " + round + " of " + of);
            err.flush();
          });
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < scenarios.size(); i++) {
        rows.add(new Row(scenarios.get(i).name(), files.get(i).toString(), timings.get(i + 1)));
      }
      bench = new Bench(plan, quick, cap, new Row("plain event loop", null, timings.get(0)), rows);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
    if (json) {
      out.println(BenchReport.json(bench));
    } else {
      out.println(BenchReport.legend(bench));
      out.println();
      BenchReport.table(out, bench);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The rounds and timings asked for; a bad count is a user error (exit code 2). */
  Plan plan() throws UserError {
    int rounds = repeat != null ? repeat : 5;
    int warm = warmup != null ? warmup : 1;
    long min = minTime != null ? minTime : quick ? SECOND / 5 : SECOND;
    if (rounds < 1) {
      throw new UserError("--repeat must be at least 1, got " + rounds);
    }
    if (warm < 0) {
      throw new UserError("--warmup must be at least 0, got " + warm);
    }
    return new Plan(warm, rounds, min);
  }
}
