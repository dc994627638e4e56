package dev.gmpsim.cli;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gmpsim.bench.PlainLoop;
import dev.gmpsim.cli.BenchRounds.Work;
import dev.gmpsim.cli.BenchRounds.Workload;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.run.Simulation;
import java.util.Map;

/** The things {@code gmpsim bench} times: the model on a scenario, and the plain event loop. */
final class BenchWorkloads {
  /** Where the plain loop's checksums go, so that the JIT cannot drop the loop. */
  static volatile long sink;

  /** Events of one plain-loop run: about a tenth of a second, so a timing overshoots little. */
  static final long PLAIN_EVENTS = 1_000_000;

  private BenchWorkloads() {}

  /**
   * The bench's ActorSystem. A dispatcher with no actors left shuts its thread down after
   * shutdown-timeout (1s by default) and the next run gets a new thread; the plain loop between
   * two workloads takes over a second, so the run dispatcher is told to keep its one thread for
   * the whole bench, and the allocation counter of that thread covers every run.
   */
  static Config config() {
    return ConfigFactory.parseString(Simulation.DISPATCHER + ".shutdown-timeout = 1h")
        .withFallback(Simulation.quietConfig());
  }

  /**
   * One scenario run on the system's run dispatcher, always with the scenario's own seed (so
   * every run does the same events). Allocation is counted on the run dispatcher's thread:
   * a run's actors (run, clock, Ps, Ms, sched, sysmon, netpoller) all execute there, including
   * the summary at the end. What is left out is small and per run, not per event: building the
   * run's first behaviors on the calling thread and the reply on Akka's default dispatcher.
   */
  static Workload model(ActorSystem<?> system, Scenario scenario) {
    return new Workload() {
      @Override
      public String name() {
        return scenario.name();
      }

      @Override
      public Work runOnce() {
        RunResult r = Simulation.run(system, scenario, RunOptions.seed(scenario.seed()));
        return new Work(r.summary().events(), r.summary().virtualTimeNs(), r.mailboxEvents());
      }

      @Override
      public Map<Long, Long> allocation() {
        return BenchAlloc.threadsNamed(n -> n.endsWith("-" + Simulation.DISPATCHER)); // RunLoopExecutor names it
      }
    };
  }

  /** The plain single-threaded event loop, on the calling thread, {@link #PLAIN_EVENTS} a run. */
  static Workload plainLoop() {
    return new Workload() {
      private long seed;

      @Override
      public String name() {
        return "plain event loop";
      }

      @Override
      public Work runOnce() {
        sink += PlainLoop.run(1000, PLAIN_EVENTS, ++seed);
        return new Work(PLAIN_EVENTS, 0);
      }

      @Override
      public Map<Long, Long> allocation() {
        return BenchAlloc.currentThread();
      }
    };
  }
}
