package dev.gmpsim.model;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.run.Simulation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * M steps through the whole model: one goroutine on one P runs a loop of steps, so nearly every
 * event is its M running the next step (sysmon's ticks are the rest). {@code compute}: plain
 * Go code; {@code syscall}: a short blocking syscall each time (entersyscall/exitsyscall's fast
 * path). A whole run per invocation (100ms of virtual time); the "events" counter is the events
 * the run simulated per second, the primary score the runs per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ModelStepBench {
  @Param({"compute", "syscall"})
  String step;

  private ActorSystem<Void> system;
  private Scenario scenario;

  /** Counts the simulated events; JMH reports them per second beside the score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Events {
    public long events;
  }

  static String scenario(String step) {
    String s = step.equals("compute") ? "{compute: 10us}" : "{syscall: {name: read, duration: 1us}}";
    return """
        name: model-step
        runtime: {gomaxprocs: 1}
        duration: 100ms
        workload:
          - name: loop
            kind: goroutines
            count: 1
            steps:
              - loop: {count: 0, steps: [STEP, {compute: 1us}]}
        """.replace("STEP", s);
  }

  @Setup(Level.Trial)
  public void setup() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "gmpsim-jmh",
        ConfigFactory.parseString(Simulation.DISPATCHER + ".shutdown-timeout = 1h").withFallback(Simulation.quietConfig()));
    scenario = ScenarioLoader.parse("model-step.yaml", scenario(step));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  @Benchmark
  public RunResult run(Events counter) {
    RunResult r = Simulation.run(system, scenario, RunOptions.seed(1));
    counter.events += r.summary().events();
    return r;
  }
}
