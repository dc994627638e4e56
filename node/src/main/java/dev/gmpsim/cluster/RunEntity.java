package dev.gmpsim.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import dev.gmpsim.protocol.GmpsimSerializable;
import dev.gmpsim.protocol.sweep.RunDone;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One sweep run as a sharded entity, keyed by the run's stable id. Runs are deterministic, so a
 * request sent again (after a node died, or a time-out) is answered from the finished result or
 * joins the run in progress; a request for a run that a lost node was doing just runs it again
 * and gives the same result. The entity watches each submitter that waits for it: when the last
 * one is gone (stopped, or its node removed from the cluster) the run is dropped from the node's
 * queue or stopped, instead of being simulated for nobody.
 */
public final class RunEntity extends AbstractBehavior<RunEntity.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "gmpsim-run");

  public sealed interface Command {}

  /**
   * Run (or report) the run; the answer goes to {@code replyTo}. {@code ackTo} (may be null) hears
   * at once which node has the run, so that the sender knows whose runs to ask for again when a
   * node leaves. {@code submitter} (may be null) is the actor behind {@code replyTo}, watched so
   * that the run stops when it is gone: {@code replyTo} is a message adapter, and watching an
   * adapter does not tell when its actor stops.
   */
  public record Execute(RunRequest request, ActorRef<RunDone> replyTo, ActorRef<Accepted> ackTo,
      ActorRef<?> submitter) implements Command, GmpsimSerializable {}

  /** The run {@code runId} is on {@code node} (host:port), running, queued or done. */
  public record Accepted(String runId, String node) implements GmpsimSerializable {}

  private record Done(RunDone done) implements Command {}

  private final ActorRef<RunSlots.Command> slots;
  private final String node;
  /** Who waits for the result, and the submitter (may be null) behind each. */
  private record Waiter(ActorRef<RunDone> replyTo, ActorRef<?> submitter) {}

  private final List<Waiter> waiting = new ArrayList<>();
  private final Set<ActorRef<?>> watched = new HashSet<>();
  private final ActorRef<RunDone> self;
  private RunRequest running;
  private RunDone result;

  /** Registers the entity type; {@code role} restricts it to worker nodes. */
  public static void initSharding(ActorSystem<?> system, ActorRef<RunSlots.Command> slots, String role) {
    ClusterSharding.get(system)
        .init(Entity.of(TYPE_KEY, ctx -> create(slots)).withRole(role));
  }

  static Behavior<Command> create(ActorRef<RunSlots.Command> slots) {
    return Behaviors.setup(ctx -> new RunEntity(ctx, slots));
  }

  private RunEntity(ActorContext<Command> ctx, ActorRef<RunSlots.Command> slots) {
    super(ctx);
    this.slots = slots;
    this.node = Cluster.get(ctx.getSystem()).selfMember().address().hostPort();
    this.self = ctx.messageAdapter(RunDone.class, Done::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Execute.class, this::onExecute)
        .onMessage(Done.class, this::onDone)
        .onSignal(Terminated.class, this::onSubmitterGone)
        .build();
  }

  private Behavior<Command> onExecute(Execute e) {
    if (e.ackTo() != null) {
      e.ackTo().tell(new Accepted(e.request().runId(), node));
    }
    if (result != null) {
      e.replyTo().tell(result);
      return this;
    }
    waiting.add(new Waiter(e.replyTo(), e.submitter()));
    if (e.submitter() != null && watched.add(e.submitter())) {
      getContext().watch(e.submitter());
    }
    if (running == null) {
      running = e.request();
      slots.tell(new RunSlots.Run(e.request(), self));
    }
    return this;
  }

  /** A submitter stopped or its node was removed: if nobody else waits, the run is not needed. */
  private Behavior<Command> onSubmitterGone(Terminated t) {
    watched.remove(t.getRef());
    waiting.removeIf(w -> t.getRef().equals(w.submitter()));
    if (waiting.isEmpty() && running != null) {
      slots.tell(new RunSlots.Cancel(running.runId(), self, t.getRef().path().address().toString()));
      running = null;
    }
    return this;
  }

  private Behavior<Command> onDone(Done d) {
    running = null;
    for (ActorRef<?> s : watched) {
      getContext().unwatch(s);
    }
    watched.clear();
    RunDone done = d.done();
    // A finished run is kept (it would give the same again); a failed one may be retried.
    boolean failed = done.outcome().startsWith("error") || done.outcome().equals("timeout");
    result = failed ? null : done;
    for (Waiter w : waiting) {
      w.replyTo().tell(done);
    }
    waiting.clear();
    return this;
  }
}
