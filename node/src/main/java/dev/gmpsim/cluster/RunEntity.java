package dev.gmpsim.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
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
import java.util.List;

/**
 * One sweep run as a sharded entity, keyed by the run's stable id. Runs are deterministic, so a
 * request sent again (after a node died, or a time-out) is answered from the finished result or
 * joins the run in progress; a request for a run that a lost node was doing just runs it again
 * and gives the same result.
 */
public final class RunEntity extends AbstractBehavior<RunEntity.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "gmpsim-run");

  public sealed interface Command {}

  /**
   * Run (or report) the run; the answer goes to {@code replyTo}. {@code ackTo} (may be null) hears
   * at once which node has the run, so that the sender knows whose runs to ask for again when a
   * node leaves.
   */
  public record Execute(RunRequest request, ActorRef<RunDone> replyTo, ActorRef<Accepted> ackTo)
      implements Command, GmpsimSerializable {}

  /** The run {@code runId} is on {@code node} (host:port), running, queued or done. */
  public record Accepted(String runId, String node) implements GmpsimSerializable {}

  private record Done(RunDone done) implements Command {}

  private final ActorRef<RunSlots.Command> slots;
  private final String node;
  private final List<ActorRef<RunDone>> waiting = new ArrayList<>();
  private RunDone result;
  private boolean running;

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
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Execute.class, this::onExecute)
        .onMessage(Done.class, this::onDone)
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
    waiting.add(e.replyTo());
    if (!running) {
      running = true;
      ActorRef<RunDone> self = getContext().messageAdapter(RunDone.class, Done::new);
      slots.tell(new RunSlots.Run(e.request(), self));
    }
    return this;
  }

  private Behavior<Command> onDone(Done d) {
    running = false;
    RunDone done = d.done();
    // A finished run is kept (it would give the same again); a failed one may be retried.
    boolean failed = done.outcome().startsWith("error") || done.outcome().equals("timeout");
    result = failed ? null : done;
    for (ActorRef<RunDone> r : waiting) {
      r.tell(done);
    }
    waiting.clear();
    return this;
  }
}
