package dev.gmpsim.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.typed.Cluster;
import dev.gmpsim.model.RunContext;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.sweep.RunDone;
import dev.gmpsim.protocol.sweep.RunRequest;
import dev.gmpsim.run.Simulation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The runs of one node: at most {@code parallelism} at a time, each on its own single-threaded
 * run dispatcher (so a node uses every core and no run depends on another), the rest queued.
 * A run nobody waits for any more (its submitter is gone) is dropped from the queue, or stopped
 * if it is running; its slot is free again once the run has noticed.
 */
public final class RunSlots extends AbstractBehavior<RunSlots.Command> {
  public sealed interface Command {}

  /** Run {@code request} and tell {@code replyTo} how it went. */
  public record Run(RunRequest request, ActorRef<RunDone> replyTo) implements Command {}

  /**
   * Nobody waits for the run {@code runId} asked for by {@code replyTo} any more: drop it, or stop
   * it, and send no answer. {@code submitter} (an address) is for the log line.
   */
  public record Cancel(String runId, ActorRef<RunDone> replyTo, String submitter) implements Command {}

  /** How many runs are queued, running, dropped and stopped so far (for tests and metrics). */
  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  public record Stats(int queued, int running, long dropped, long stopped) {}

  private record Finished(int slot, RunRequest request, ActorRef<RunDone> replyTo, RunResult result,
      Throwable failure, long wallNs) implements Command {}

  private record Report(String submitter) implements Command {}

  /** The dispatcher of slot {@code i}; {@link NodeConfig} defines one per slot. */
  public static String dispatcher(int i) {
    return "gmpsim.run-dispatchers.d" + i;
  }

  /** Cancellations of one submitter are reported in one line once they stop coming for this long. */
  static final Duration REPORT_AFTER = Duration.ofSeconds(1);

  private final int parallelism;
  private final Duration timeout;
  private final String node;
  private final TimerScheduler<Command> timers;
  /** What each slot runs (null: free) and the flag that stops it. */
  private final Run[] running;
  private final AtomicBoolean[] stop;
  private final ArrayDeque<Run> queue = new ArrayDeque<>();
  /** Per submitter not yet reported: {queued runs dropped, running runs stopped}. */
  private final Map<String, long[]> unreported = new LinkedHashMap<>();
  private long dropped;
  private long stopped;

  public static Behavior<Command> create(int parallelism, Duration timeout) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new RunSlots(ctx, t, parallelism, timeout)));
  }

  private RunSlots(ActorContext<Command> ctx, TimerScheduler<Command> timers, int parallelism, Duration timeout) {
    super(ctx);
    ctx.setLoggerName(RunSlots.class);
    this.parallelism = parallelism;
    this.timeout = timeout;
    this.timers = timers;
    this.running = new Run[parallelism];
    this.stop = new AtomicBoolean[parallelism];
    ActorSystem<?> system = ctx.getSystem();
    this.node = Cluster.get(system).selfMember().address().hostPort();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onMessage(Finished.class, this::onFinished)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(Report.class, this::onReport)
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<Command> onRun(Run r) {
    queue.addLast(r);
    startWhatFits();
    return this;
  }

  private Behavior<Command> onFinished(Finished f) {
    boolean cancelled = stop[f.slot()].get();
    running[f.slot()] = null;
    stop[f.slot()] = null;
    if (!cancelled) {
      f.replyTo().tell(done(f));
    }
    startWhatFits();
    return this;
  }

  private RunDone done(Finished f) {
    RunRequest req = f.request();
    if (f.failure() != null) {
      String why = f.failure() instanceof java.util.concurrent.TimeoutException
          ? "timeout"
          : "error: " + rootMessage(f.failure());
      return new RunDone(req.runId(), null, why, node, f.wallNs(), req.attempt());
    } else if (f.result().summary().outcome().equals("timeout")) {
      return new RunDone(req.runId(), null, "timeout", node, f.wallNs(), req.attempt());
    }
    return new RunDone(req.runId(), f.result().summary(), f.result().summary().outcome(), node, f.wallNs(),
        req.attempt(), req.keepFiles() ? f.result() : null);
  }

  private Behavior<Command> onCancel(Cancel c) {
    long[] counts = unreported.computeIfAbsent(c.submitter(), k -> new long[2]);
    for (Iterator<Run> it = queue.iterator(); it.hasNext(); ) {
      Run r = it.next();
      if (matches(r, c)) {
        it.remove();
        counts[0]++;
        dropped++;
        report(c.submitter());
        return this;
      }
    }
    for (int i = 0; i < parallelism; i++) {
      if (running[i] != null && matches(running[i], c) && !stop[i].get()) {
        stop[i].set(true); // the run's event loop sees it within 65,536 events, then Finished frees the slot
        counts[1]++;
        stopped++;
        report(c.submitter());
        return this;
      }
    }
    if (counts[0] + counts[1] == 0) {
      unreported.remove(c.submitter());
    }
    return this; // already answered: nothing to stop
  }

  private static boolean matches(Run r, Cancel c) {
    return r.request().runId().equals(c.runId()) && r.replyTo().equals(c.replyTo());
  }

  /** One line per submitter once its cancellations stop coming (the timer restarts with each). */
  private void report(String submitter) {
    timers.startSingleTimer(submitter, new Report(submitter), REPORT_AFTER);
  }

  private Behavior<Command> onReport(Report r) {
    long[] counts = unreported.remove(r.submitter());
    if (counts != null) {
      getContext().getLog().warn("dropped {} queued runs and stopped {} running of a submitter that is gone ({})",
          counts[0], counts[1], r.submitter());
    }
    return this;
  }

  private Behavior<Command> onGetStats(GetStats g) {
    int busy = 0;
    for (Run r : running) {
      busy += r != null ? 1 : 0;
    }
    g.replyTo().tell(new Stats(queue.size(), busy, dropped, stopped));
    return this;
  }

  private void startWhatFits() {
    for (int i = 0; i < parallelism && !queue.isEmpty(); i++) {
      if (running[i] != null) {
        continue;
      }
      Run r = queue.pollFirst();
      AtomicBoolean flag = new AtomicBoolean();
      running[i] = r;
      stop[i] = flag;
      int slot = i;
      long t0 = System.nanoTime();
      RunRequest req = r.request();
      CompletionStage<RunResult> stage =
          Simulation.start(getContext().getSystem(), req.scenario(),
              RunOptions.seed(req.seed()).withWallTimeout(timeout.toNanos()), dispatcher(slot),
              RunContext.ActorWrapper.NONE, null, flag::get);
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
