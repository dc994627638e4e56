package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;

/**
 * Base of the model actors. It takes the virtual time from each message, collects what the
 * handler sends, and hands it to the clock in one {@link Clock.Advance}, which is also the
 * clock's signal that this message is done.
 */
public abstract class SimActor<C extends Msg> extends AbstractBehavior<C> {
  protected final RunContext run;
  protected long now;
  private ArrayList<Clock.Out> outbox = new ArrayList<>(4);

  protected SimActor(ActorContext<C> ctx, RunContext run) {
    super(ctx);
    this.run = run;
  }

  /** The actor's own message handlers, one ReceiveBuilder line per message. */
  protected abstract Receive<C> receive();

  @Override
  public final Receive<C> createReceive() {
    Receive<C> inner = receive();
    return newReceiveBuilder().onAnyMessage(msg -> handle(inner, msg)).build();
  }

  private Behavior<C> handle(Receive<C> inner, C msg) throws Exception {
    now = msg.at();
    Behavior<C> next;
    try {
      next = inner.receiveMessage(msg);
    } catch (RuntimeException e) {
      // A bug in the model ends the run with an error outcome instead of hanging it.
      run.stats().error(getClass().getSimpleName() + " failed on " + msg.getClass().getSimpleName() + ": " + e);
      next = this;
    }
    if (next == akka.actor.typed.javadsl.Behaviors.<C>unhandled()) {
      violation(getClass().getSimpleName() + " cannot handle " + msg.getClass().getSimpleName());
      next = this;
    }
    flush();
    return next;
  }

  private void flush() {
    ArrayList<Clock.Out> out = outbox;
    outbox = new ArrayList<>(4);
    run.clock().tell(new Clock.Advance(out));
  }

  /** Sends {@code msg} through the clock; it is delivered at {@code msg.at()}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  protected final <T extends Msg> void send(ActorRef<T> to, T msg) {
    outbox.add(new Clock.Out((ActorRef) to, msg));
  }

  /** Reports a broken invariant: the run ends with outcome invariant-violated. */
  protected final void violation(String what) {
    run.stats().violation(what);
  }
}
