package dev.gmpsim.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.typed.Cluster;
import dev.gmpsim.model.RunContext;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.sweep.RunDone;
import dev.gmpsim.protocol.sweep.RunRequest;
import dev.gmpsim.run.Simulation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The runs of one node: at most {@code parallelism} at a time, each on its own single-threaded
 * run dispatcher (so a node uses every core and no run depends on another), the rest queued.
 */
public final class RunSlots extends AbstractBehavior<RunSlots.Command> {
  public sealed interface Command {}

  /** Run {@code request} and tell {@code replyTo} how it went. */
  public record Run(RunRequest request, ActorRef<RunDone> replyTo) implements Command {}

  private record Finished(int slot, RunRequest request, ActorRef<RunDone> replyTo, RunResult result,
      Throwable failure, long wallNs) implements Command {}

  /** The dispatcher of slot {@code i}; {@link NodeConfig} defines one per slot. */
  public static String dispatcher(int i) {
    return "gmpsim.run-dispatchers.d" + i;
  }

  private final int parallelism;
  private final Duration timeout;
  private final String node;
  private final boolean[] busy;
  private final ArrayDeque<Run> queue = new ArrayDeque<>();

  public static Behavior<Command> create(int parallelism, Duration timeout) {
    return Behaviors.setup(ctx -> new RunSlots(ctx, parallelism, timeout));
  }

  private RunSlots(ActorContext<Command> ctx, int parallelism, Duration timeout) {
    super(ctx);
    this.parallelism = parallelism;
    this.timeout = timeout;
    this.busy = new boolean[parallelism];
    ActorSystem<?> system = ctx.getSystem();
    this.node = Cluster.get(system).selfMember().address().hostPort();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onMessage(Finished.class, this::onFinished)
        .build();
  }

  private Behavior<Command> onRun(Run r) {
    queue.addLast(r);
    startWhatFits();
    return this;
  }

  private Behavior<Command> onFinished(Finished f) {
    busy[f.slot()] = false;
    RunRequest req = f.request();
    RunDone done;
    if (f.failure() != null) {
      String why = f.failure() instanceof java.util.concurrent.TimeoutException
          ? "timeout"
          : "error: " + rootMessage(f.failure());
      done = new RunDone(req.runId(), null, why, node, f.wallNs(), req.attempt());
    } else if (f.result().summary().outcome().equals("timeout")) {
      done = new RunDone(req.runId(), null, "timeout", node, f.wallNs(), req.attempt());
    } else {
      done = new RunDone(req.runId(), f.result().summary(), f.result().summary().outcome(), node, f.wallNs(),
          req.attempt(), req.keepFiles() ? f.result() : null);
    }
    f.replyTo().tell(done);
    startWhatFits();
    return this;
  }

  private void startWhatFits() {
    for (int i = 0; i < parallelism && !queue.isEmpty(); i++) {
      if (busy[i]) {
        continue;
      }
      busy[i] = true;
      Run r = queue.pollFirst();
      int slot = i;
      long t0 = System.nanoTime();
      RunRequest req = r.request();
      CompletionStage<RunResult> stage =
          Simulation.start(getContext().getSystem(), req.scenario(),
              RunOptions.seed(req.seed()).withWallTimeout(timeout.toNanos()), dispatcher(slot),
              RunContext.ActorWrapper.NONE);
      // The run ends itself at the limit; the extra minute covers a run that cannot.
      getContext().pipeToSelf(
          stage.toCompletableFuture().orTimeout(timeout.toMillis() + 60_000, TimeUnit.MILLISECONDS),
          (result, failure) ->
              new Finished(slot, req, r.replyTo(), result, failure, System.nanoTime() - t0));
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
