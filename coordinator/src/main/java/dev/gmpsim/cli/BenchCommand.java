package dev.gmpsim.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.bench.PlainLoop;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.run.Simulation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * gmpsim bench: how fast the model simulates. For each workload: simulated events per second of
 * wall time and virtual time per wall time, on one run's single-threaded dispatcher; and, in the
 * same process, the events per second of a plain single-threaded event loop for comparison.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure simulation speed on the example workloads against a plain event loop.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", arity = "0..*",
      description = "Scenario files (default: examples/workload-*.yaml).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--quick", description = "Shorter runs (2s of virtual time each); under a minute in all.")
  boolean quick;

  @Option(names = "--sweep", arity = "0..1", fallbackValue = "examples/sweeps/gomaxprocs-x-rate.yaml",
      paramLabel = "SWEEP", description = "Instead: sweep throughput (runs/min) on one node and on two nodes "
          + "(this process and a second JVM on 127.0.0.1), one run at a time on each (default sweep: ${FALLBACK-VALUE}); "
          + "exit code 1 and no figure if a phase stalls (no result for 2 minutes), a run fails or a node is lost.")
  Path sweep;

  @Option(names = "--repeat", description = "Measured runs per workload; the best is reported (default: ${DEFAULT-VALUE}).")
  int repeat = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (repeat < 1) {
      throw new UserError("--repeat must be at least 1, got " + repeat);
    }
    if (sweep != null) {
      try {
        return SweepBench.run(sweep, out);
      } catch (SweepBench.Failed e) {
        out.flush();
        spec.commandLine().getErr().println("gmpsim: bench --sweep: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
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
    List<Scenario> scenarios = new ArrayList<>();
    for (Path f : files) {
      Scenario s = ScenarioLoader.load(f);
      scenarios.add(quick ? s.withDuration(Math.min(s.duration(), 2_000_000_000L)) : s);
    }
    out.printf(Locale.ROOT, "gmpsim bench on %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"));
    out.flush();
    double plain = plainLoop();
    out.printf(Locale.ROOT, "plain single-threaded event loop: %.2f M events/s%n%n", plain / 1e6);
    out.printf(Locale.ROOT, "%-28s %8s %10s %8s %11s %9s %13s%n", "workload", "virtual", "events", "wall",
        "M events/s", "vs loop", "virtual/wall");
    out.flush();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "gmpsim-bench", Simulation.quietConfig());
    long allEvents = 0;
    long allWall = 0;
    try {
      // Warm the JIT on every workload first, so each is timed with the same compiled code.
      for (int pass = 0; pass < (quick ? 1 : 2); pass++) {
        for (Scenario s : scenarios) {
          Simulation.run(system, s.withDuration(Math.min(s.duration(), 1_000_000_000L)), RunOptions.seed(1));
        }
      }
      for (Scenario s : scenarios) {
        long bestWall = Long.MAX_VALUE;
        RunResult r = null;
        for (int i = 0; i < repeat; i++) {
          long t0 = System.nanoTime();
          r = Simulation.run(system, s, RunOptions.seed(s.seed()));
          bestWall = Math.min(bestWall, System.nanoTime() - t0);
        }
        long events = r.summary().events();
        double evs = events * 1e9 / bestWall;
        allEvents += events;
        allWall += bestWall;
        out.printf(Locale.ROOT, "%-28s %7.1fs %10d %7.2fs %11.2f %9.2f %12.1fx%n", s.name(),
            r.summary().virtualTimeNs() / 1e9, events, bestWall / 1e9, evs / 1e6, evs / plain,
            (double) r.summary().virtualTimeNs() / bestWall);
        out.flush();
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
    double all = allEvents * 1e9 / allWall;
    out.printf(Locale.ROOT, "%nall workloads: %.2f M events/s, %.2f of the plain loop's rate%n", all / 1e6, all / plain);
    return ExitCodes.OK;
  }

  private static double plainLoop() {
    PlainLoop.eventsPerSecond(1000, 5_000_000, 1); // warm-up
    double best = 0;
    for (int i = 0; i < 3; i++) {
      best = Math.max(best, PlainLoop.eventsPerSecond(1000, 10_000_000, 1 + i));
    }
    return best;
  }
}
