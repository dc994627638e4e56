package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * The kernel's high-resolution timers beneath the runtime (docs/costs.md, "Timers"): when a
 * sleeping call (nanosleep, usleep, an epoll_wait timeout) really ends. Linux gives each timer a
 * window, from its expiry to expiry + the thread's timer slack (50us by default), and programs
 * each CPU's clock event for the earliest end of a window; when it fires, every timer of that
 * CPU whose window has opened expires with it (hrtimer_interrupt runs all timers whose
 * softexpires have passed). A lone sleeper so wakes a full slack late, and many sleepers on a CPU
 * wake much sooner: each one's window is cut short by the next window that closes.
 *
 * <p>It is a plain object of the run, like {@link Cpus}, and only with a {@code machine}. Its
 * clock events wait in the event list among the messages but are never delivered: the event list
 * fires them when they come first ({@link EventList}), and each expired timer becomes the message
 * its owner waits for, sent {@code latency} after the interrupt (the wake-up through the
 * hypervisor, {@code timer-wakeup}). An event whose timer has gone is dropped.
 */
final class HrTimers {
  /** One armed timer. Its message is made when it fires, at the time it is delivered. */
  static final class Timer {
    final long soft;
    final long hard;
    final long seq;
    final int base;
    final long latency;
    final ActorRef<Msg> owner;
    final LongFunction<? extends Msg> message;
    /** Told how long after its expiry the timer fired (the syscall table's kernel time), or null. */
    final LongConsumer expired;
    boolean done;

    Timer(long soft, long hard, long seq, int base, long latency, ActorRef<Msg> owner,
        LongFunction<? extends Msg> message, LongConsumer expired) {
      this.soft = soft;
      this.hard = hard;
      this.seq = seq;
      this.base = base;
      this.latency = latency;
      this.owner = owner;
      this.message = message;
      this.expired = expired;
    }
  }

  /**
   * A clock event: the end of one timer's window, in the event list at its time. It is never
   * delivered; the event list fires it ({@link #fire}) when it comes first.
   */
  record ClockEvent(long at, Timer timer) implements Msg {}

  private final PriorityQueue<Timer>[] bySoft;
  /** Where clock events go; until the run's event list exists they wait in {@link #early}. */
  private EventList events;
  private final List<Clock.Out> early = new ArrayList<>(1);
  private long seq;
  private long armed;
  private long cutShort;
  private double savedNs;

  @SuppressWarnings("unchecked")
  HrTimers(int cpus) {
    bySoft = new PriorityQueue[cpus];
    for (int i = 0; i < cpus; i++) {
      bySoft[i] = new PriorityQueue<>(
          (a, b) -> a.soft != b.soft ? Long.compare(a.soft, b.soft) : Long.compare(a.seq, b.seq));
    }
  }

  /** The run's event list is made: clock events go there from now on. */
  void attach(EventList list) {
    events = list;
    for (Clock.Out o : early) {
      list.addClockEvent(o);
    }
    early.clear();
  }

  /**
   * Thread {@code thread} ({@link Cpus} numbering) sleeps until {@code expiry} with {@code slack}:
   * its owner gets {@code message.apply(t)} at t = the interrupt that expires it + {@code latency}.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  <T extends Msg> Timer arm(int thread, long expiry, long slack, long latency, ActorRef<T> owner,
      LongFunction<T> message, LongConsumer expired) {
    Timer timer = new Timer(expiry, expiry + Math.max(0, slack), seq++, Math.floorMod(thread, bySoft.length),
        latency, (ActorRef) owner, message, expired);
    bySoft[timer.base].add(timer);
    armed++;
    Clock.Out event = new Clock.Out(null, new ClockEvent(timer.hard, timer));
    if (events == null) {
      early.add(event);
    } else {
      events.addClockEvent(event);
    }
    return timer;
  }

  /** The sleep ended another way (the poller was woken): its window no longer programs a clock event. */
  void cancel(Timer timer) {
    if (timer != null) {
      timer.done = true;
    }
  }

  /**
   * A clock event's time has come: if its timer is still armed, the CPU's interrupt expires every
   * timer of that CPU whose window has opened; returns their owners' messages.
   */
  List<Clock.Out> fire(ClockEvent e) {
    if (e.timer().done) {
      return List.of(); // expired or cancelled earlier: the kernel no longer programs this end
    }
    long at = e.at();
    PriorityQueue<Timer> base = bySoft[e.timer().base];
    List<Clock.Out> out = new ArrayList<>(2);
    Timer t = base.peek();
    while (t != null && t.soft <= at) {
      base.poll();
      if (!t.done) {
        t.done = true;
        if (at < t.hard) {
          cutShort++;
          savedNs += t.hard - at;
        }
        if (t.expired != null) {
          t.expired.accept(at - t.soft);
        }
        out.add(new Clock.Out(t.owner, t.message.apply(at + t.latency)));
      }
      t = base.peek();
    }
    return out;
  }

  /** Calls {@code action} with the message of every timer still armed (the in-flight checks). */
  void forEachPending(java.util.function.Consumer<Clock.Out> action) {
    for (PriorityQueue<Timer> base : bySoft) {
      for (Timer t : base) {
        if (!t.done) {
          // The message as it would be sent at the window's end (made here: the checks are rare).
          action.accept(new Clock.Out(t.owner, t.message.apply(t.hard + t.latency)));
        }
      }
    }
  }

  /** Timers armed, expired before their window's end, and the mean time they saved (summary.json). */
  long armed() {
    return armed;
  }

  long cutShort() {
    return cutShort;
  }

  long meanSavedNs() {
    return cutShort == 0 ? 0 : Math.round(savedNs / cutShort);
  }
}
