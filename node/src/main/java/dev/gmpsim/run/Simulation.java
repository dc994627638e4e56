package dev.gmpsim.run;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gmpsim.model.Run;
import dev.gmpsim.model.RunContext;
import dev.gmpsim.model.TraceRecorder;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/** Runs scenarios on an ActorSystem: each run is a {@link Run} actor and its children. */
public final class Simulation {
  public static final String DISPATCHER = "gmpsim.run-dispatcher";
  private static final AtomicLong RUN_IDS = new AtomicLong();

  private Simulation() {}

  /** The configuration a standalone run uses: quiet logs, the node's reference.conf. */
  public static Config quietConfig() {
    return ConfigFactory.parseString(
            "akka.loglevel = WARNING\n"
                + "akka.log-dead-letters = off\n"
                + "akka.log-dead-letters-during-shutdown = off\n"
                + "akka.coordinated-shutdown.exit-jvm = off\n")
        .withFallback(ConfigFactory.load());
  }

  /** Runs one scenario in its own ActorSystem and waits for the result. */
  public static RunResult runLocally(Scenario scenario, RunOptions options) {
    return runLocally(scenario, options, null);
  }

  /** Runs one scenario in its own ActorSystem, recording a trace in {@code trace} (null: none). */
  public static RunResult runLocally(Scenario scenario, RunOptions options, TraceRecorder trace) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "gmpsim", quietConfig());
    try {
      return start(system, scenario, options, DISPATCHER, RunContext.ActorWrapper.NONE, trace)
          .toCompletableFuture()
          .join();
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  /** Runs one scenario on {@code system} and waits for the result. */
  public static RunResult run(ActorSystem<?> system, Scenario scenario, RunOptions options) {
    return start(system, scenario, options, DISPATCHER, RunContext.ActorWrapper.NONE)
        .toCompletableFuture()
        .join();
  }

  /**
   * Starts a run whose actors execute on {@code dispatcher}, each wrapped by {@code wrapper}
   * (fault injection). The stage fails if the run's actors stop without a result.
   */
  public static CompletionStage<RunResult> start(
      ActorSystem<?> system, Scenario scenario, RunOptions options, String dispatcher,
      RunContext.ActorWrapper wrapper) {
    return start(system, scenario, options, dispatcher, wrapper, null, () -> false);
  }

  /** As above, recording what the run's Ms and Ps do in {@code trace} (null: no trace). */
  public static CompletionStage<RunResult> start(
      ActorSystem<?> system, Scenario scenario, RunOptions options, String dispatcher,
      RunContext.ActorWrapper wrapper, TraceRecorder trace) {
    return start(system, scenario, options, dispatcher, wrapper, trace, () -> false);
  }

  /**
   * As above; the run ends early with outcome "cancelled" once {@code cancelled} says so (null
   * {@code trace}: no trace).
   */
  public static CompletionStage<RunResult> start(
      ActorSystem<?> system, Scenario scenario, RunOptions options, String dispatcher,
      RunContext.ActorWrapper wrapper, TraceRecorder trace, java.util.function.BooleanSupplier cancelled) {
    Props props = DispatcherSelector.fromConfig(dispatcher);
    CompletableFuture<RunResult> result = new CompletableFuture<>();
    system.systemActorOf(
        Behaviors.<RunResult>setup(
            ctx -> {
              ActorRef<Run.Command> run =
                  ctx.spawn(Run.create(scenario, options, ctx.getSelf(), props, wrapper, trace, cancelled), "run", props);
              ctx.watch(run);
              return Behaviors.receive(RunResult.class)
                  .onMessage(
                      RunResult.class,
                      r -> {
                        result.complete(r);
                        return Behaviors.stopped();
                      })
                  .onSignal(
                      Terminated.class,
                      t -> {
                        result.completeExceptionally(
                            new IllegalStateException("run of " + scenario.name() + " failed"));
                        return Behaviors.stopped();
                      })
                  .build();
            }),
        "run-" + RUN_IDS.incrementAndGet(),
        Props.empty());
    return result;
  }
}
