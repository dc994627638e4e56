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
 * exactly once. A bounded number of runs is in flight per worker node. Each entity acknowledges
 * a request with its node, so when a node is removed from the cluster (downed or left) the runs
 * it had, and those not yet acknowledged, are asked for again at once, and again every
 * {@link #ORPHAN_RETRY} until a live node acknowledges them (their shards move to the nodes
 * left; the entities answer from their result or the run in progress). A run with no answer
 * after {@code resendAfter} is asked for again in any case. A run that fails is retried up to
 * {@code maxAttempts}. Runs in the cluster as a singleton on the coordinator role.
 */
public final class SweepCoordinator extends AbstractBehavior<SweepCoordinator.Command> {
  public sealed interface Command {}

  /** Run {@code runs} (those not already in {@code sink}); progress and the end go to {@code replyTo}. */
  public record Submit(List<RunRequest> runs, ResultSink sink, ActorRef<Event> replyTo) implements Command {}

  private record Result(RunDone done) implements Command {}

  private record Ack(RunEntity.Accepted accepted) implements Command {}

  private record Reachability(ClusterEvent.ReachabilityEvent event) implements Command {}

  private record Tick() implements Command {}

  private record MembersChanged(ClusterEvent.MemberEvent event) implements Command {}

  /** What the submitter hears. */
  public sealed interface Event {}

  public record Progress(int done, int total, int failed, String lastNode) implements Event {}

  public record Finished(int done, int failed, int skipped) implements Event {}

  /**
   * Something the user should hear about: a node lost, runs asked for again. {@code disturbs}:
   * the sweep was held up (a node unreachable, runs asked for again), not just told.
   */
  public record Notice(String text, boolean disturbs) implements Event {}

  /**
   * How often a removed node's runs are sent again until a live node takes them: the first send
   * can still go to the dead node when this actor hears of the removal before the shard region.
   */
  static final Duration ORPHAN_RETRY = Duration.ofSeconds(1);

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final int perNode;
  private final int maxAttempts;
  private final Duration resendAfter;
  private final ActorRef<RunDone> resultAdapter;
  private final ActorRef<RunEntity.Accepted> ackAdapter;
  private final Duration downAfter;
  private final ArrayDeque<RunRequest> pending = new ArrayDeque<>();
  private final Map<String, Flight> inFlight = new LinkedHashMap<>();
  private final Set<String> done = new HashSet<>();
  private ResultSink sink;
  private ActorRef<Event> replyTo;
  private int total;
  private int failed;
  private int skipped;
  private int workers = 1;
  /** Worker nodes (host:port) that are unreachable now. */
  private final Set<String> unreachable = new HashSet<>();

  /**
   * A run asked for: when, on which node an entity took it (null: no answer yet), and whether
   * the node it was on has left (then it is sent again until a live node takes it).
   */
  private record Flight(RunRequest request, long sentAt, String node, boolean orphaned) {}

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
    this.ackAdapter = ctx.messageAdapter(RunEntity.Accepted.class, Ack::new);
    this.downAfter = ctx.getSystem().settings().config().getDuration("gmpsim.cluster.down-after");
    Cluster cluster = Cluster.get(ctx.getSystem());
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberEvent.class, MembersChanged::new), ClusterEvent.MemberEvent.class));
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new),
        ClusterEvent.ReachabilityEvent.class));
    timers.startTimerWithFixedDelay(new Tick(), Duration.ofSeconds(1));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(Result.class, this::onResult)
        .onMessage(Ack.class, this::onAck)
        .onMessage(Reachability.class, this::onReachability)
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
      pending.addFirst(q.withAttempt(q.attempt() + 1));
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

  private Behavior<Command> onAck(Ack a) {
    Flight f = inFlight.get(a.accepted().runId());
    if (f != null) {
      inFlight.put(f.request().runId(), new Flight(f.request(), f.sentAt(), a.accepted().node(), false));
    }
    return this;
  }

  private Behavior<Command> onTick(Tick t) {
    long now = System.nanoTime();
    for (Flight f : List.copyOf(inFlight.values())) {
      if (f.orphaned() && now - f.sentAt() > ORPHAN_RETRY.toNanos()) {
        ctx.getLog().debug("run {}: no node has taken it yet, asking again", f.request().runId());
        send(f.request(), null, true);
      } else if (now - f.sentAt() > resendAfter.toNanos()) {
        notice("no answer for run " + f.request().runId() + " in " + seconds(resendAfter)
            + (f.node() != null ? " from " + shown(f.node()) : "") + "; asking again", true);
        send(f.request(), f.node(), false);
      }
    }
    if (!unreachable.isEmpty()) {
      pump();
    }
    return this;
  }

  private Behavior<Command> onReachability(Reachability r) {
    Member m = r.event().member();
    if (!m.hasRole(NodeConfig.WORKER)) {
      return this;
    }
    String node = m.address().hostPort();
    if (r.event() instanceof ClusterEvent.UnreachableMember) {
      unreachable.add(node);
    } else {
      unreachable.remove(node);
    }
    countWorkers();
    if (sink == null) {
      return this;
    }
    if (r.event() instanceof ClusterEvent.UnreachableMember) {
      notice("node " + shown(node) + " is unreachable (" + runs(count(node)) + " in flight there); it is downed if it does not"
          + " answer within " + seconds(downAfter) + ", and its runs are then asked for again", true);
    } else if (r.event() instanceof ClusterEvent.ReachableMember) {
      notice("node " + shown(node) + " is reachable again", false);
    }
    pump();
    return this;
  }

  private Behavior<Command> onMembersChanged(MembersChanged m) {
    countWorkers();
    ctx.getLog().info("{}: {} workers, {} in flight, {} pending", m.event(), workers, inFlight.size(), pending.size());
    if (m.event() instanceof ClusterEvent.MemberRemoved removed && sink != null
        && !removed.member().address().equals(Cluster.get(ctx.getSystem()).selfMember().address())) {
      // Its shards move to the nodes left. Ask again for its runs, and for those no node has
      // acknowledged yet (they may have been on their way to it).
      String node = removed.member().address().hostPort();
      unreachable.remove(node);
      countWorkers();
      int its = 0;
      int unknown = 0;
      for (Flight f : List.copyOf(inFlight.values())) {
        if (node.equals(f.node()) || f.node() == null) {
          if (f.node() == null) {
            unknown++;
          } else {
            its++;
          }
          send(f.request(), null, true);
        }
      }
      String how = removed.previousStatus() == MemberStatus.down() ? "downed" : "left";
      notice("node " + shown(node) + " was removed from the cluster (" + how + "); asking again for its " + runs(its)
          + " in flight" + (unknown > 0 ? " and " + unknown + " not yet acknowledged" : "")
          + ", on " + workers + (workers == 1 ? " worker" : " workers") + " left", its + unknown > 0);
    }
    pump();
    return this;
  }

  private int count(String node) {
    int n = 0;
    for (Flight f : inFlight.values()) {
      if (node.equals(f.node())) {
        n++;
      }
    }
    return n;
  }

  /** host:port, without the system name that {@code Address.hostPort} puts first. */
  private static String shown(String node) {
    return node.substring(node.indexOf('@') + 1);
  }

  private static String runs(int n) {
    return n + (n == 1 ? " run" : " runs");
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private void notice(String text, boolean disturbs) {
    ctx.getLog().info(text);
    if (replyTo != null && sink != null) {
      replyTo.tell(new Notice(text, disturbs));
    }
  }

  /** Reachable worker nodes that are up. */
  private void countWorkers() {
    int n = 0;
    for (Member m : Cluster.get(ctx.getSystem()).state().getMembers()) {
      if (m.status() == MemberStatus.up() && m.hasRole(NodeConfig.WORKER)
          && !unreachable.contains(m.address().hostPort())) {
        n++;
      }
    }
    workers = Math.max(1, n);
  }

  private void pump() {
    if (sink == null) {
      return;
    }
    // While a node is unreachable, the runs on it (and those no node has taken within a second:
    // their shard may have been placed there) do not hold back the nodes that still work.
    int stuck = 0;
    if (!unreachable.isEmpty()) {
      long now = System.nanoTime();
      for (Flight f : inFlight.values()) {
        if (f.node() == null ? now - f.sentAt() > 1_000_000_000L : unreachable.contains(f.node())) {
          stuck++;
        }
      }
    }
    int limit = workers * perNode;
    while (inFlight.size() - stuck < limit && !pending.isEmpty()) {
      send(pending.pollFirst(), null, false);
    }
  }

  private void send(RunRequest r, String node, boolean orphaned) {
    inFlight.put(r.runId(), new Flight(r, System.nanoTime(), node, orphaned));
    ClusterSharding.get(ctx.getSystem())
        .entityRefFor(RunEntity.TYPE_KEY, r.runId())
        // The entity watches this actor (not the adapters): if this process dies, the workers stop its runs.
        .tell(new RunEntity.Execute(r, resultAdapter, ackAdapter, ctx.getSelf()));
  }

  private void finishIfDone() {
    if (sink != null && done.size() == total && inFlight.isEmpty() && pending.isEmpty()) {
      sink.finish();
      replyTo.tell(new Finished(done.size() - skipped, failed, skipped));
      sink = null;
    }
  }
}
