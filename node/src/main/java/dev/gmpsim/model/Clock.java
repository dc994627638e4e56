package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The run's virtual clock and event list. Model actors never message each other directly: they
 * hand their outgoing messages to the clock (in one {@link Advance} per handled message), and the
 * clock delivers the earliest one, waiting for its {@link Advance} before delivering the next.
 * Nothing else advances time, so a run does not depend on how the dispatcher interleaves actors.
 */
public final class Clock extends AbstractBehavior<Clock.Command> {

  public sealed interface Command {}

  /** A message some actor wants delivered at {@code msg.at()}. */
  public record Out(ActorRef<Msg> to, Msg msg) {}

  /** Sent by the model actor that just handled a message: what it sends, in order. */
  public record Advance(List<Out> out) implements Command {}

  /** Starts delivering; {@code initial} are the first messages of the run. */
  public record Start(List<Out> initial) implements Command {}

  /** Ends the run early, e.g. the runtime's fatal error. */
  public record Halt(long at, String outcome) implements Command {}

  /** What the clock reports when the run is over. */
  public record Finished(long virtualTimeNs, long events, String outcome, List<G> inFlight) {}

  private record Event(long at, long seq, ActorRef<Msg> to, Msg msg) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** Prints every delivered message to stderr (-Dgmpsim.trace=true), for debugging the model. */
  private static final boolean TRACE = Boolean.getBoolean("gmpsim.trace");

  private final PriorityQueue<Event> queue = new PriorityQueue<>(1024);
  private final long endTime;
  private final RunStats stats;
  private final ActorRef<Finished> whenDone;
  private long seq;
  private long now;
  private long events;
  private String haltOutcome;

  public static Behavior<Command> create(long endTime, RunStats stats, ActorRef<Finished> whenDone) {
    return Behaviors.setup(ctx -> new Clock(ctx, endTime, stats, whenDone));
  }

  private Clock(ActorContext<Command> ctx, long endTime, RunStats stats, ActorRef<Finished> whenDone) {
    super(ctx);
    this.endTime = endTime;
    this.stats = stats;
    this.whenDone = whenDone;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(Advance.class, this::onAdvance)
        .onMessage(Halt.class, this::onHalt)
        .build();
  }

  private Behavior<Command> onStart(Start start) {
    enqueue(start.initial());
    return deliverNext();
  }

  private Behavior<Command> onAdvance(Advance advance) {
    enqueue(advance.out());
    return deliverNext();
  }

  private Behavior<Command> onHalt(Halt halt) {
    // Halt comes from a model actor inside its handling; its Advance follows and ends the run.
    if (haltOutcome == null) {
      haltOutcome = halt.outcome();
      now = Math.max(now, halt.at());
    }
    return this;
  }

  private void enqueue(List<Out> out) {
    for (int i = 0, n = out.size(); i < n; i++) {
      Out o = out.get(i);
      long at = o.msg().at();
      if (at < now) {
        stats.violation("message " + o.msg().getClass().getSimpleName() + " scheduled in the past");
        at = now;
      }
      queue.add(new Event(at, seq++, o.to(), o.msg()));
    }
  }

  private Behavior<Command> deliverNext() {
    String outcome = haltOutcome != null ? haltOutcome : stats.violationOutcome();
    Event next = outcome == null ? queue.poll() : null;
    if (next == null || next.at() > endTime) {
      long t = outcome == null ? endTime : now;
      stats.sampleUntil(t, true);
      List<G> inFlight = new ArrayList<>();
      for (Event e : queue) {
        e.msg().forEachG(inFlight::add);
      }
      whenDone.tell(new Finished(t, events, outcome == null ? "ok" : outcome, inFlight));
      return Behaviors.stopped();
    }
    if (next.at() > now) {
      stats.sampleUntil(next.at(), false);
      now = next.at();
    }
    events++;
    if (TRACE) {
      System.err.println(next.at() + " " + next.to().path().name() + " <- " + next.msg());
    }
    next.to().tell(next.msg());
    return this;
  }
}
