package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ExtensibleBehavior;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;

/**
 * Base of the model actors. It takes the virtual time from each message, puts what the handler
 * sends in the run's {@link EventList}, and delivers the next event (handling it in place when
 * it is its own). An {@link ExtensibleBehavior} rather than an AbstractBehavior: Akka hands it
 * each message directly, without the receive builder's layers (millions of messages a run).
 */
public abstract class SimActor<C extends Msg> extends ExtensibleBehavior<C> {
  private final ActorContext<C> context;
  private final ActorRef<C> self;
  private Handlers<C> handlers;
  protected final RunContext run;
  protected long now;
  /** What the handler being run has sent, in order: receivers and messages. */
  private ActorRef<?>[] outTo = new ActorRef<?>[8];
  private Msg[] outMsg = new Msg[8];
  private int outN;

  protected SimActor(ActorContext<C> ctx, RunContext run) {
    this.context = ctx;
    this.self = ctx.getSelf();
    this.run = run;
  }

  /** The actor's own message handlers, one line per message. */
  abstract Handlers<C> handlers();

  protected final ActorContext<C> getContext() {
    return context;
  }

  @Override
  public final Behavior<C> receive(TypedActorContext<C> ctx, C msg) {
    if (handlers == null) {
      handlers = handlers(); // after the subclass's constructor
    }
    return handle(handlers, msg);
  }

  @Override
  public final Behavior<C> receiveSignal(TypedActorContext<C> ctx, Signal signal) {
    return Behaviors.unhandled();
  }

  @SuppressWarnings("unchecked")
  private Behavior<C> handle(Handlers<C> inner, C first) {
    C msg = first;
    while (true) {
      now = msg.at();
      Behavior<C> next = this;
      java.util.function.Function<C, Behavior<C>> handler = inner.find(msg);
      if (handler == null) {
        violation(getClass().getSimpleName() + " cannot handle " + msg.getClass().getSimpleName());
      } else {
        try {
          next = handler.apply(msg);
        } catch (RuntimeException e) {
          // A bug in the model ends the run with an error outcome instead of hanging it.
          run.stats().error(
              getClass().getSimpleName() + " failed on " + msg.getClass().getSimpleName() + ": " + e);
        }
      }
      // A message to itself sent last (a step's end, a timer) that no pending event precedes
      // is handled here without entering the list; same order, time and count as through it.
      Msg own = null;
      int n = outN;
      if (next == this && run.inPlace && n > 0 && EventList.same(outTo[n - 1], self)) {
        own = outMsg[--n];
      }
      run.events.add(outTo, outMsg, n);
      for (int i = 0; i < outN; i++) { // the messages are the list's now
        outMsg[i] = null;
        outTo[i] = null;
      }
      outN = 0;
      if (own != null && run.events.takeOwn(self, own)) {
        msg = (C) own;
        continue;
      }
      if (own != null) {
        run.events.add(self, own);
      }
      if (next != this) {
        run.events.deliverNext();
        return next;
      }
      // The next message is ours again: handle it here, without a trip through the mailbox.
      // With faults installed, every message goes through the mailbox and the interceptors.
      Msg mine = run.inPlace ? run.events.pollFor(self) : null;
      if (mine == null) {
        run.events.deliverNext();
        return this;
      }
      msg = (C) mine;
    }
  }

  /** Sends {@code msg} through the clock; it is delivered at {@code msg.at()}. */
  protected final <T extends Msg> void send(ActorRef<T> to, T msg) {
    if (outN == outMsg.length) {
      outTo = java.util.Arrays.copyOf(outTo, outN * 2);
      outMsg = java.util.Arrays.copyOf(outMsg, outN * 2);
    }
    outTo[outN] = to;
    outMsg[outN++] = msg;
  }

  /** Reports a broken invariant: the run ends with outcome invariant-violated. */
  /**
   * Thread {@code thread} ({@link Cpus}) was woken now: true when it must first wait for a CPU;
   * {@code again} makes the message this actor handles once it has one, at the time it is given.
   */
  protected final boolean waitsForCpu(int thread, java.util.function.LongFunction<C> again) {
    if (run.cpus == null) {
      return false;
    }
    long w = run.cpus.wake(thread, now);
    if (w == 0) {
      return false;
    }
    send(getContext().getSelf(), again.apply(now + w));
    return true;
  }

  protected final void violation(String what) {
    run.stats().violation(what);
  }
}
