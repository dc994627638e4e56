package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;

/**
 * The run's virtual clock. It owns the {@link EventList}: model actors never message each other
 * directly but put what they send in the list, which delivers messages in (virtual time,
 * sequence) order, one at a time. Nothing else advances time, so a run does not depend on how the
 * dispatcher interleaves actors. The clock actor starts the run and reports its end.
 */
public final class Clock extends AbstractBehavior<Clock.Command> {

  public sealed interface Command {}

  /** A message some actor sends, delivered at {@code msg.at()}. */
  public record Out(ActorRef<Msg> to, Msg msg) {}

  /** Starts delivering; {@code initial} are the first messages of the run. */
  public record Start(List<Out> initial) implements Command {}

  /** From the event list: nothing left before the end time, or the run was halted. */
  record Over(long virtualTimeNs, long events, String outcome, List<G> inFlight) implements Command {}

  /** What the clock reports when the run is over. */
  public record Finished(long virtualTimeNs, long events, String outcome, List<G> inFlight) {}

  private final RunContext run;
  private final long endTime;
  private final ActorRef<Finished> whenDone;

  static Behavior<Command> create(RunContext run, long endTime, ActorRef<Finished> whenDone) {
    return create(run, endTime, 0, dev.gmpsim.protocol.result.RunOptions.DEFAULT_MAX_EVENTS, whenDone);
  }

  static Behavior<Command> create(
      RunContext run, long endTime, long wallTimeoutNs, long maxEvents, ActorRef<Finished> whenDone) {
    return create(run, endTime, wallTimeoutNs, maxEvents, () -> false, whenDone);
  }

  static Behavior<Command> create(
      RunContext run, long endTime, long wallTimeoutNs, long maxEvents, java.util.function.BooleanSupplier cancelled,
      ActorRef<Finished> whenDone) {
    return Behaviors.setup(ctx -> new Clock(ctx, run, endTime, wallTimeoutNs, maxEvents, cancelled, whenDone));
  }

  private Clock(
      ActorContext<Command> ctx, RunContext run, long endTime, long wallTimeoutNs, long maxEvents,
      java.util.function.BooleanSupplier cancelled, ActorRef<Finished> whenDone) {
    super(ctx);
    this.run = run;
    this.endTime = endTime;
    this.whenDone = whenDone;
    run.events = new EventList(endTime, maxEvents, run.stats, ctx.getSelf());
    run.events.timers = run.hrtimers;
    if (run.hrtimers != null) {
      run.hrtimers.attach(run.events);
    }
    run.events.wallTimeout(wallTimeoutNs);
    run.events.trace = run.trace;
    run.events.cancelWhen(cancelled);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(Over.class, this::onOver)
        .build();
  }

  private Behavior<Command> onStart(Start start) {
    run.events.add(start.initial());
    run.events.deliverNext();
    return this;
  }

  private Behavior<Command> onOver(Over over) {
    whenDone.tell(new Finished(over.virtualTimeNs(), over.events(), over.outcome(), over.inFlight()));
    return Behaviors.stopped();
  }
}
