package dev.gmpsim.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import dev.gmpsim.cluster.NodeConfig;
import dev.gmpsim.cluster.RunEntity;
import dev.gmpsim.protocol.sweep.RunDone;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands a sweep's runs to the run entities on the worker nodes and collects their results, each
 * exactly once. A bounded number of runs is in flight per worker node. A run whose result does
 * not come is sent again: at once when a node leaves the cluster (its shards move, the entities
 * that were running elsewhere answer from their result or the run in progress), and after
 * {@code resendAfter} in any case. A run that fails is retried up to {@code maxAttempts}.
 * Runs in the cluster as a singleton on the coordinator role.
 */
public final class SweepCoordinator extends AbstractBehavior<SweepCoordinator.Command> {
  public sealed interface Command {}

  /** Run {@code runs} (those not already in {@code sink}); progress and the end go to {@code replyTo}. */
  public record Submit(List<RunRequest> runs, ResultSink sink, ActorRef<Event> replyTo) implements Command {}

  private record Result(RunDone done) implements Command {}

  private record Tick() implements Command {}

  private record MembersChanged(ClusterEvent.MemberEvent event) implements Command {}

  /** What the submitter hears. */
  public sealed interface Event {}

  public record Progress(int done, int total, int failed, String lastNode) implements Event {}

  public record Finished(int done, int failed, int skipped) implements Event {}

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final int perNode;
  private final int maxAttempts;
  private final Duration resendAfter;
  private final ActorRef<RunDone> resultAdapter;
  private final ArrayDeque<RunRequest> pending = new ArrayDeque<>();
  private final Map<String, Flight> inFlight = new LinkedHashMap<>();
  private final Set<String> done = new HashSet<>();
  private ResultSink sink;
  private ActorRef<Event> replyTo;
  private int total;
  private int failed;
  private int skipped;
  private int workers = 1;

  private record Flight(RunRequest request, long sentAt) {}

  public static Behavior<Command> create(int perNode, int maxAttempts, Duration resendAfter) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(t -> new SweepCoordinator(ctx, t, perNode, maxAttempts, resendAfter)));
  }

  private SweepCoordinator(
      ActorContext<Command> ctx, TimerScheduler<Command> timers, int perNode, int maxAttempts,
      Duration resendAfter) {
    super(ctx);
    this.ctx = ctx;
    this.timers = timers;
    this.perNode = perNode;
    this.maxAttempts = maxAttempts;
    this.resendAfter = resendAfter;
    this.resultAdapter = ctx.messageAdapter(RunDone.class, Result::new);
    Cluster cluster = Cluster.get(ctx.getSystem());
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberEvent.class, MembersChanged::new), ClusterEvent.MemberEvent.class));
    timers.startTimerWithFixedDelay(new Tick(), Duration.ofSeconds(1));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(Result.class, this::onResult)
        .onMessage(Tick.class, this::onTick)
        .onMessage(MembersChanged.class, this::onMembersChanged)
        .build();
  }

  private Behavior<Command> onSubmit(Submit s) {
    sink = s.sink();
    replyTo = s.replyTo();
    total = s.runs().size();
    for (RunRequest r : s.runs()) {
      if (sink.hasResult(r.runId())) {
        done.add(r.runId());
        skipped++;
      } else {
        pending.addLast(r);
      }
    }
    countWorkers();
    pump();
    finishIfDone();
    return this;
  }

  private Behavior<Command> onResult(Result r) {
    RunDone d = r.done();
    Flight f = inFlight.get(d.runId());
    if (f == null || done.contains(d.runId())) {
      return this; // a duplicate answer to a request sent twice
    }
    inFlight.remove(d.runId());
    boolean failedRun = d.outcome().startsWith("error") || d.outcome().equals("timeout");
    if (failedRun && d.attempt() < maxAttempts) {
      RunRequest q = f.request();
      pending.addFirst(new RunRequest(q.runId(), q.scenario(), q.seed(), q.parameters(), q.attempt() + 1));
    } else {
      done.add(d.runId());
      if (failedRun) {
        failed++;
      }
      sink.write(f.request(), d);
      replyTo.tell(new Progress(done.size(), total, failed, d.node()));
    }
    pump();
    finishIfDone();
    return this;
  }

  private Behavior<Command> onTick(Tick t) {
    long now = System.nanoTime();
    for (Flight f : List.copyOf(inFlight.values())) {
      if (now - f.sentAt() > resendAfter.toNanos()) {
        ctx.getLog().info("no answer for run {} in {}: asking again", f.request().runId(), resendAfter);
        send(f.request());
      }
    }
    return this;
  }

  private Behavior<Command> onMembersChanged(MembersChanged m) {
    countWorkers();
    ctx.getLog().info("{}: {} workers, {} in flight, {} pending", m.event(), workers, inFlight.size(), pending.size());
    if (m.event() instanceof ClusterEvent.MemberRemoved || m.event() instanceof ClusterEvent.MemberDowned) {
      // Its shards move to the nodes left: ask again for everything in flight.
      for (Flight f : List.copyOf(inFlight.values())) {
        send(f.request());
      }
    }
    pump();
    return this;
  }

  private void countWorkers() {
    int n = 0;
    for (Member m : Cluster.get(ctx.getSystem()).state().getMembers()) {
      if (m.status() == MemberStatus.up() && m.hasRole(NodeConfig.WORKER)) {
        n++;
      }
    }
    workers = Math.max(1, n);
  }

  private void pump() {
    if (sink == null) {
      return;
    }
    int limit = workers * perNode;
    while (inFlight.size() < limit && !pending.isEmpty()) {
      send(pending.pollFirst());
    }
  }

  private void send(RunRequest r) {
    inFlight.put(r.runId(), new Flight(r, System.nanoTime()));
    ClusterSharding.get(ctx.getSystem())
        .entityRefFor(RunEntity.TYPE_KEY, r.runId())
        .tell(new RunEntity.Execute(r, resultAdapter));
  }

  private void finishIfDone() {
    if (sink != null && done.size() == total && inFlight.isEmpty() && pending.isEmpty()) {
      sink.finish();
      replyTo.tell(new Finished(done.size() - skipped, failed, skipped));
      sink = null;
    }
  }
}
