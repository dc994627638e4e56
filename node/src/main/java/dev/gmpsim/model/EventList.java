package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's event list: every message between model actors waits here, ordered by (virtual
 * time, sequence), and is delivered one at a time. Delivery is handed along with the messages:
 * the actor that has just handled one puts what it sent in the list and delivers the next
 * (one Akka message per event instead of a round trip through a clock actor). Only one actor
 * of a run runs at any moment, so the list is never touched concurrently.
 */
final class EventList {
  /** Prints every delivered message to stderr (-Dgmpsim.trace=true), for debugging the model. */
  private static final boolean TRACE = Boolean.getBoolean("gmpsim.trace");
  /** Prints how the run's events were delivered at its end (-Dgmpsim.deliveries=true), for speed work. */
  private static final boolean DELIVERIES = Boolean.getBoolean("gmpsim.deliveries");

  private final EventHeap queue = new EventHeap();
  private final long endTime;
  private final long maxPending;
  private final RunStats stats;
  private final ActorRef<Clock.Command> clock;
  private long now;
  private long events;
  private String haltOutcome;
  /** System.nanoTime() after which the run ends as "timeout"; the only wall-clock read. */
  private long wallDeadline = Long.MAX_VALUE;
  /** Asked at the same rate as the wall clock: the run's owner wants it stopped (nobody waits for it). */
  private java.util.function.BooleanSupplier cancelled = () -> false;
  private boolean over;
  /** Messages handled in place ({@link #pollFor}, {@link #takeOwn}, readiness), without a trip through a mailbox. */
  private long inPlace;
  /** Set by the clock when the run records a trace. */
  TraceRecorder trace;
  /**
   * Set once a crash has stopped an actor (ActorFaults): true for a message to a stopped actor,
   * which is counted as a dead letter and not delivered. Null in every other run.
   */
  java.util.function.Predicate<Clock.Out> deadLetter;
  /** The message being taken while the samples before its time are written. */
  private Clock.Out taking;
  /** The kernel's timers (with a machine), whose clock events fire between messages; else null. */
  HrTimers timers;

  EventList(long endTime, long maxPending, RunStats stats, ActorRef<Clock.Command> clock) {
    this.endTime = endTime;
    this.maxPending = maxPending;
    this.stats = stats;
    this.clock = clock;
  }

  long now() {
    return now;
  }

  long events() {
    return events;
  }

  long handledInPlace() {
    return inPlace;
  }

  /** Puts one message in the list (a fault's delayed or duplicated message): a new sequence number. */
  void add(ActorRef<?> to, Msg msg) {
    put(to, msg);
    checkPending();
  }

  void wallTimeout(long ns) {
    wallDeadline = ns <= 0 ? Long.MAX_VALUE : System.nanoTime() + ns;
  }

  void cancelWhen(java.util.function.BooleanSupplier c) {
    cancelled = c;
  }

  /** Ends the run at the current time, e.g. the runtime's fatal error. */
  void halt(String outcome) {
    if (haltOutcome == null) {
      haltOutcome = outcome;
    }
  }

  void add(List<Clock.Out> out) {
    for (int i = 0, n = out.size(); i < n; i++) {
      Clock.Out o = out.get(i);
      put(o.to(), o.msg());
    }
    checkPending();
  }

  /** What an actor's handler sent, in the order it sent it ({@code n} messages). */
  void add(ActorRef<?>[] to, Msg[] msg, int n) {
    for (int i = 0; i < n; i++) {
      put(to[i], msg[i]);
    }
    checkPending();
  }

  private void put(ActorRef<?> to, Msg msg) {
    if (msg.at() < now) {
      stats.violation("message " + msg.getClass().getSimpleName() + " scheduled in the past");
      return;
    }
    queue.add(to, msg);
  }

  private void checkPending() {
    if (queue.size() > maxPending) {
      halt(String.format(java.util.Locale.ROOT, "limit: %,d pending events", maxPending));
    }
  }

  /**
   * Takes the next message if it is for {@code self} and the run goes on, so the actor can
   * handle it without a trip through its mailbox; null otherwise.
   */
  Msg pollFor(ActorRef<?> self) {
    Clock.Out next = peek();
    if (next == null || !same(next.to(), self) || next.msg().at() > endTime || stopping()) {
      return null;
    }
    inPlace++;
    return take();
  }

  /**
   * Whether two refs name the same actor. The ref spawn returned (what the other actors hold) and
   * the actor's own context's ref are two objects for one actor; identity first, then the uid
   * (a field) before the path comparison of {@code equals}, so that a miss costs two loads.
   */
  static boolean same(ActorRef<?> a, ActorRef<?> b) {
    return a == b || (a != null && b != null && a.path().uid() == b.path().uid() && a.equals(b));
  }

  /**
   * True when nothing the run has pending falls at or before {@code t} and the run goes on to
   * {@code t}: an event at {@code t} sent now would be the next one delivered. The one place
   * that answers "can anything happen before t" for the in-place paths. A kernel clock event
   * (HrTimers) is in the heap too, so one at or before {@code t} keeps the message in the list.
   */
  boolean nothingBefore(long t) {
    return t <= endTime && !stopping() && queue.minAt() > t;
  }

  /**
   * {@code msg}, which {@code self} has just sent itself (after everything else its handler
   * sent), is taken at once when it is the next event: exactly what putting it in the list and
   * {@link #pollFor} would do, without the list. False when it must go through the list.
   */
  boolean takeOwn(ActorRef<?> self, Msg msg) {
    long at = msg.at();
    // The pending limit counts it as if it had been put in the list.
    if (at < now || !nothingBefore(at) || queue.size() + 1 > maxPending) {
      return false;
    }
    inPlace++;
    arrive(at, self, msg, null);
    return true;
  }

  /**
   * The next message, after the kernel's events that come before it: clock events (HrTimers; an
   * expiring timer sends its owner's message, at or after the event's time), and descriptors
   * becoming readable (Netpoller.Readiness, counted as events: they stand for FdReady).
   */
  private Clock.Out peek() {
    Clock.Out next = queue.peek();
    while (next != null && next.msg().at() <= endTime) {
      if (next.msg() instanceof HrTimers.ClockEvent e) {
        queue.poll();
        List<Clock.Out> woken = timers.fire(e);
        if (!woken.isEmpty()) {
          add(woken);
        }
      } else if (next.msg() instanceof Netpoller.Readiness r && !stopping()) {
        // Taken as the netpoller's FdReady would be (time, samples, count), applied in place.
        take();
        inPlace++;
        List<Clock.Out> sent = r.epoll().kernelReady(r);
        if (!sent.isEmpty()) {
          add(sent);
        }
      } else {
        break;
      }
      next = queue.peek();
    }
    return next;
  }

  /** A kernel clock event (HrTimers.arm): not a message, never delivered, not counted. */
  void addClockEvent(Clock.Out event) {
    queue.add(event);
  }

  private Msg take() {
    Clock.Out o = queue.poll();
    Msg msg = o.msg();
    arrive(msg.at(), o.to(), msg, o);
    return msg;
  }

  /**
   * The run's time moves to {@code at} (samples, trace) and {@code msg} counts as delivered;
   * {@code o} is its list entry, or null when it never entered the list.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private void arrive(long at, ActorRef<?> to, Msg msg, Clock.Out o) {
    if (at > now) {
      // The samples' checks must still see the message being taken as in flight.
      taking = o != null ? o : new Clock.Out((ActorRef) to, msg);
      stats.sampleUntil(at, false);
      if (trace != null) {
        trace.advance(now);
      }
      taking = null;
      now = at;
    }
    events++;
    if ((events & 0xFFFF) == 0) {
      // Limits on the simulator, not part of the model: they end a run, never change a result.
      if (wallDeadline != Long.MAX_VALUE && System.nanoTime() > wallDeadline) {
        halt("timeout");
      } else if (cancelled.getAsBoolean()) {
        halt("cancelled");
      }
    }
    if (TRACE) {
      System.err.println(at + " " + to.path().name() + " <- " + msg);
    }
  }

  /**
   * Delivers the next message, or reports the end of the run to the clock actor. A bug in the
   * checks that run between two messages ends the run with an error outcome instead of hanging it.
   */
  void deliverNext() {
    try {
      deliverNextUnchecked();
    } catch (RuntimeException e) {
      if (over) {
        throw e;
      }
      stats.error("the model's checks failed at " + now + "ns: " + e);
      deliverNextUnchecked(); // stopping() now: reports the end
    }
  }

  @SuppressWarnings("unchecked")
  private void deliverNextUnchecked() {
    if (over) {
      return;
    }
    Clock.Out next = peek();
    while (deadLetter != null && next != null && !stopping() && next.msg().at() <= endTime && deadLetter.test(next)) {
      take();
      next = peek();
    }
    if (stopping() || next == null || next.msg().at() > endTime) {
      over = true;
      String outcome = outcome();
      long t = outcome == null ? endTime : now;
      try {
        stats.sampleUntil(t, true);
      } catch (RuntimeException e) {
        stats.error("the model's checks failed at the end: " + e); // reported, not hung
      }
      List<G> inFlight = new ArrayList<>();
      queue.forEach(o -> o.msg().forEachG(inFlight::add));
      if (timers != null) {
        timers.forEachPending(o -> o.msg().forEachG(inFlight::add)); // threads still asleep
      }
      if (DELIVERIES) {
        System.err.printf(java.util.Locale.ROOT, "gmpsim deliveries: %d events, %d in place, %d through a mailbox%n",
            events, inPlace, events - inPlace);
      }
      clock.tell(new Clock.Over(t, events, outcome == null ? "ok" : outcome, inFlight));
      return;
    }
    next.to().tell(take());
  }

  /** True if some message still in the list satisfies {@code p} (a scan: for rare checks only). */
  boolean anyPending(java.util.function.Predicate<Clock.Out> p) {
    if (taking != null && p.test(taking)) {
      return true;
    }
    boolean[] found = {false};
    queue.forEach(o -> found[0] |= !found[0] && o.to() != null && p.test(o));
    if (!found[0] && timers != null) {
      timers.forEachPending(o -> found[0] |= !found[0] && p.test(o));
    }
    return found[0];
  }

  private boolean stopping() {
    return haltOutcome != null || stats.violationOutcome() != null;
  }

  private String outcome() {
    return haltOutcome != null ? haltOutcome : stats.violationOutcome();
  }
}
