package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayDeque;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The netpoller (epoll) and the timers that sleep through it. Goroutines parked on a descriptor
 * hold no M; when their data arrives they wait in the ready list until someone polls: findRunnable
 * (non-blocking), sysmon (if nobody polled for 10ms), or the one M blocked in netpoll, which wakes
 * at once. Timers fire at their time and wake the blocked M, or are readied through Sched.
 */
public final class Netpoller extends SimActor<Netpoller.Command> {
  public sealed interface Command extends Msg {}

  /** gopark on a descriptor that becomes readable at {@code readyAt}. */
  public record Park(long at, G g, long readyAt) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      f.accept(g);
    }
  }

  /** time.Sleep: a timer for {@code when}, and gopark. */
  public record AddTimer(long at, G g, long when, int p) implements Command {
    /** A timer set by a goroutine with no P to name (tests, the runtime's own). */
    public AddTimer(long at, G g, long when) {
      this(at, g, when, -1);
    }

    @Override
    public void forEachG(Consumer<G> f) {
      f.accept(g);
    }
  }

  /**
   * A write (or the writer's close) made the pipe {@code g} is parked reading readable; {@code
   * seq} names the park, so readiness after the reader was evicted or timed out is dropped.
   */
  public record PipeReady(long at, G g, int seq) implements Command {}

  /** A read deadline at {@code when} for the pipe park {@code seq} of {@code g}, on P {@code p}'s timers. */
  public record PipeDeadline(long at, G g, long when, int seq, int p) implements Command {}

  private record PipeDeadlineFire(long at, G g, long when, int seq, int p) implements Command {}

  /** Non-blocking netpoll(0) from P {@code p}'s findRunnable. */
  public record Poll(long at, int p) implements Command {}

  /** Non-blocking netpoll(0) from sysmon (nobody polled for 10ms); the answer goes to Sched. */
  public record PollForSysmon(long at) implements Command {}

  /**
   * checkTimers from findRunnable on P {@code p}: the timers that fired while an M sleeps in
   * netpoll. The runtime keeps timers on the Ps, so any P in schedule() runs the due ones; here
   * they wait in the netpoller, and this hands them over (answered with P.TimersRun).
   */
  public record RunTimers(long at, int p) implements Command {}

  /**
   * wakeNetPoller(when) from handoffp, for a P given up with timers on it: break the blocked
   * poll if it would sleep past {@code when}, or with nobody polling, wakep.
   */
  public record WakeNetPoller(long at, long when) implements Command {}

  /** An M without a P blocks in netpoll until something is ready or the next timer. */
  public record BlockingPoll(long at, ActorRef<M.Command> m, int mid, boolean wasSpinning)
      implements Command {}

  /** The descriptor of {@code g} is readable: its data arrived at {@code readyAt} (at most {@code at}). */
  private record FdReady(long at, G g, long readyAt) implements Command {}

  /**
   * The same readiness as the kernel reports it (ep_poll_callback), in runs without faults: it
   * waits in the event list like a message and counts as one, but the event list applies it to
   * the epoll state (the ready list, the waiter in epoll_wait) when it comes first instead of
   * delivering it, saving a trip through the mailbox. With faults, FdReady stays a message so
   * that it can be faulted; InPlaceTest checks both give the same bytes.
   */
  record Readiness(long at, G g, long readyAt, Netpoller epoll) implements Msg {}

  private record TimerFire(long at, G g) implements Command {}

  /** The blocked M's epoll_wait timed out. */
  private record PollTimeout(long at, long token) implements Command {}

  /**
   * The woken M runs again and epoll_wait returns: it copies out the events ready now, including
   * those that became ready while the thread was being woken.
   */
  private record PollReturn(long at, Poller poller) implements Command {}

  private record Poller(ActorRef<M.Command> m, int mid, boolean wasSpinning) {}

  /** netpoll's events array: one epoll_wait returns at most this many ready descriptors. */
  static final int EPOLL_EVENTS = 128;

  /** procresize destroyed P {@code from}: its timers move to P {@code to} (moveTimers). */
  public record MoveTimers(long at, int from, int to) implements Command {}

  private final Atomics atomics;
  private final ArrayDeque<G> ready = new ArrayDeque<>();
  private final TreeMap<Long, Integer> timerWhens = new TreeMap<>();
  /** The same per P that set them (see Atomics.pTimerNext). */
  private final TreeMap<Long, Integer>[] pTimers;
  private Poller blocked;
  private long pollToken;
  /** The epoll_wait timeout's kernel timer while the poller sleeps on one (with a machine). */
  private HrTimers.Timer pollTimer;
  /** What a readiness applied by the event list sends ({@link #kernelReady}), reused for each. */
  private final java.util.ArrayList<Clock.Out> kernelOut = new java.util.ArrayList<>(1);
  /** True while the event list applies a readiness: {@link #emit} goes to {@link #kernelOut}. */
  private boolean inKernel;

  public static Behavior<Command> create(RunContext run) {
    return run.wrap("Netpoller", Behaviors.setup(ctx -> new Netpoller(ctx, run)));
  }

  @SuppressWarnings("unchecked")
  private Netpoller(ActorContext<Command> ctx, RunContext run) {
    super(ctx, run);
    this.atomics = run.atomics;
    this.pTimers = new TreeMap[atomics.pTimerNext.length];
    for (int i = 0; i < pTimers.length; i++) {
      pTimers[i] = new TreeMap<>();
    }
  }

  @Override
  Handlers<Command> handlers() {
    return Handlers.<Command>create()
        .on(Park.class, this::onPark)
        .on(AddTimer.class, this::onAddTimer)
        .on(Poll.class, this::onPoll)
        .on(PollForSysmon.class, this::onPollForSysmon)
        .on(RunTimers.class, this::onRunTimers)
        .on(WakeNetPoller.class, this::onWakeNetPoller)
        .on(BlockingPoll.class, this::onBlockingPoll)
        .on(FdReady.class, this::onFdReady)
        .on(TimerFire.class, this::onTimerFire)
        .on(PollTimeout.class, this::onPollTimeout)
        .on(PollReturn.class, this::onPollReturn)
        .on(MoveTimers.class, this::onMoveTimers)
        .on(PipeReady.class, this::onPipeReady)
        .on(PipeDeadline.class, this::onPipeDeadline)
        .on(PipeDeadlineFire.class, this::onPipeDeadlineFire);
  }

  private Behavior<Command> onMoveTimers(MoveTimers m) {
    if (pTimers[m.from()].isEmpty()) {
      return this;
    }
    pTimers[m.from()].forEach((when, n) -> pTimers[m.to()].merge(when, n, Integer::sum));
    pTimers[m.from()].clear();
    atomics.pTimerNext[m.from()] = Long.MAX_VALUE;
    atomics.pTimerNext[m.to()] = pTimers[m.to()].firstKey();
    for (G g : run.allgs.values()) {
      if (g.timerP == m.from()) {
        g.timerP = m.to();
      }
    }
    return this;
  }

  private Behavior<Command> onPark(Park p) {
    atomics.netpollInited = true;
    atomics.netpollWaiters++;
    p.g().place(G.Where.NETPOLL, run.stats);
    // A descriptor already ready when the park is handled (it was late) is reported at once.
    long at = Math.max(p.readyAt(), now);
    if (run.inPlace) {
      // Park sends nothing else, so the readiness keeps the place in the list FdReady would have.
      run.events.add(getContext().getSelf(), new Readiness(at, p.g(), p.readyAt(), this));
    } else {
      send(getContext().getSelf(), new FdReady(at, p.g(), p.readyAt()));
    }
    return this;
  }

  /**
   * The event list applies {@code r} between messages, as onFdReady would: returns what that
   * sends (a woken poller's return), a list reused by the next call.
   */
  java.util.List<Clock.Out> kernelReady(Readiness r) {
    now = r.at();
    kernelOut.clear();
    inKernel = true;
    try {
      fdReady(r.g(), r.readyAt());
      return kernelOut;
    } finally {
      inKernel = false;
    }
  }

  /** send, or into {@link #kernelOut} while the event list applies a readiness. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private <T extends Msg> void emit(ActorRef<T> to, T msg) {
    if (inKernel) {
      kernelOut.add(new Clock.Out((ActorRef) to, msg));
    } else {
      send(to, msg);
    }
  }

  private Behavior<Command> onFdReady(FdReady r) {
    fdReady(r.g(), r.readyAt());
    return this;
  }

  /** epoll reports {@code g}'s descriptor (ready since {@code readyAt}): to the ready list. */
  private void fdReady(G g, long readyAt) {
    g.fromFd = true;
    g.take(G.Where.NETPOLL, run.stats);
    // A request counts from when its data arrived, even if readiness was reported late.
    g.lastReady = Math.min(readyAt, now);
    g.place(G.Where.NETPOLL_READY, run.stats);
    ready.addLast(g);
    atomics.netpollReady = ready.size();
    if (blocked != null) {
      wakePoller(run.cost.futexWake());
    }
  }

  private Behavior<Command> onPipeReady(PipeReady r) {
    G g = r.g();
    Pipe p = g.pipe;
    if (g.pipeSeq != r.seq() || p == null || p.reader != g || !p.parked) {
      return this; // the park ended otherwise (closed, timed out) before epoll reported it
    }
    p.parked = false;
    g.pipeSeq++; // its deadline timer, if any, is stale now
    g.pipeWake = PipeSteps.WOKEN_DATA;
    fdReady(g, now);
    return this;
  }

  private Behavior<Command> onPipeDeadline(PipeDeadline d) {
    atomics.netpollInited = true;
    atomics.timers++;
    timerWhens.merge(d.when(), 1, Integer::sum);
    atomics.nextTimer = timerWhens.firstKey();
    if (d.p() >= 0) {
      pTimers[d.p()].merge(d.when(), 1, Integer::sum);
      atomics.pTimerNext[d.p()] = pTimers[d.p()].firstKey();
    }
    send(getContext().getSelf(), new PipeDeadlineFire(Math.max(d.when(), now), d.g(), d.when(), d.seq(), d.p()));
    wakeNetPoller(d.when());
    return this;
  }

  /**
   * netpolldeadlineimpl: the deadline timer ran. A timer whose park already ended stays in the
   * heap until then (deltimer only marks it), so it is taken out here either way.
   */
  private Behavior<Command> onPipeDeadlineFire(PipeDeadlineFire f) {
    atomics.timers--;
    timerWhens.computeIfPresent(f.when(), (k, n) -> n == 1 ? null : n - 1);
    atomics.nextTimer = timerWhens.isEmpty() ? Long.MAX_VALUE : timerWhens.firstKey();
    if (f.p() >= 0) {
      int q = f.p();
      for (int i = 0; i < pTimers.length && !pTimers[q].containsKey(f.when()); i++) {
        q = i; // procresize moved it (moveTimers)
      }
      pTimers[q].computeIfPresent(f.when(), (k, n) -> n == 1 ? null : n - 1);
      atomics.pTimerNext[q] = pTimers[q].isEmpty() ? Long.MAX_VALUE : pTimers[q].firstKey();
    }
    G g = f.g();
    Pipe p = g.pipe;
    if (g.pipeSeq != f.seq() || p == null || p.reader != g || !p.parked) {
      return this;
    }
    p.parked = false;
    g.pipeSeq++;
    g.pipeWake = PipeSteps.WOKEN_ERROR;
    g.take(G.Where.NETPOLL, run.stats);
    atomics.netpollWaiters--;
    g.lastReady = now;
    if (blocked != null) {
      // As a time.Sleep timer: the M blocked in epoll_wait runs it when its wait times out.
      g.place(G.Where.NETPOLL_READY, run.stats);
      ready.addLast(g);
      atomics.netpollReady = ready.size();
      atomics.timersDue++;
    } else {
      send(run.sched, new Sched.Ready(now, g));
    }
    return this;
  }

  private Behavior<Command> onAddTimer(AddTimer a) {
    atomics.netpollInited = true;
    atomics.timers++;
    timerWhens.merge(a.when(), 1, Integer::sum);
    atomics.nextTimer = timerWhens.firstKey();
    a.g().place(G.Where.TIMER, run.stats);
    a.g().timerP = a.p();
    if (a.p() >= 0) {
      pTimers[a.p()].merge(a.when(), 1, Integer::sum);
      atomics.pTimerNext[a.p()] = pTimers[a.p()].firstKey();
    }
    send(getContext().getSelf(), new TimerFire(Math.max(a.when(), now), a.g()));
    wakeNetPoller(a.when());
    return this;
  }

  /**
   * wakeNetPoller: make sure some M will wait for a timer at {@code when}. While sched.lastpoll
   * == 0 an M is in netpoll (or already woken and on its way back, when there is nothing to
   * break): it will see the timer, so proc.go only breaks its wait and never calls wakep then.
   */
  private void wakeNetPoller(long when) {
    if (atomics.lastpoll == Atomics.POLLING) {
      if (blocked != null && (atomics.pollUntil == 0 || atomics.pollUntil > when)) {
        wakePoller(run.cost.futexWake()); // netpollBreak
      }
    } else if (atomics.wakepWorthTrying(run.goMinor)) {
      send(run.sched, new Sched.WakeP(now));
    }
  }

  private Behavior<Command> onWakeNetPoller(WakeNetPoller w) {
    wakeNetPoller(w.when());
    return this;
  }

  private Behavior<Command> onTimerFire(TimerFire t) {
    atomics.timers--;
    timerWhens.computeIfPresent(now, (k, n) -> n == 1 ? null : n - 1);
    atomics.nextTimer = timerWhens.isEmpty() ? Long.MAX_VALUE : timerWhens.firstKey();
    G g = t.g();
    if (g.timerP >= 0) {
      java.util.TreeMap<Long, Integer> mine = pTimers[g.timerP];
      mine.computeIfPresent(now, (k, n) -> n == 1 ? null : n - 1);
      atomics.pTimerNext[g.timerP] = mine.isEmpty() ? Long.MAX_VALUE : mine.firstKey();
      g.timerP = -1;
    }
    g.take(G.Where.TIMER, run.stats);
    g.lastReady = now;
    if (blocked != null) {
      // epoll does not see timers: the blocked M runs this one when its wait times out.
      g.place(G.Where.NETPOLL_READY, run.stats);
      ready.addLast(g);
      atomics.netpollReady = ready.size();
      atomics.timersDue++;
    } else {
      // A running P would run this timer at its next schedule(); ready it through Sched.
      send(run.sched, new Sched.Ready(now, g));
    }
    return this;
  }

  private Behavior<Command> onPoll(Poll p) {
    send(run.allp.get(p.p()), new P.Polled(now + run.cost.netpoll(), drain()));
    return this;
  }

  private Behavior<Command> onRunTimers(RunTimers r) {
    send(run.allp.get(r.p()), new P.TimersRun(now + run.cost.schedule(), take(false)));
    return this;
  }

  private Behavior<Command> onPollForSysmon(PollForSysmon p) {
    send(run.sched, new Sched.Polled(now + run.cost.netpoll(), drain()));
    return this;
  }

  private Behavior<Command> onBlockingPoll(BlockingPoll b) {
    blocked = new Poller(b.m(), b.mid(), b.wasSpinning());
    if (!ready.isEmpty()) {
      wakePoller(0); // epoll_wait returns at once: the M never slept
      return this;
    }
    long until = timerWhens.isEmpty() ? 0 : timerWhens.firstKey();
    atomics.pollUntil = until;
    if (until > 0) {
      // epoll_wait takes whole milliseconds: under 1ms waits 1ms, longer waits round down.
      long delay = Math.max(0, until - now);
      long waitMs = delay == 0 ? 0 : Math.max(1, delay / 1_000_000);
      if (run.hrtimers != null && waitMs > 0) {
        // The kernel's timer ends the wait; its message comes when the thread runs again.
        long token = ++pollToken;
        pollTimer = run.hrtimers.arm(Cpus.m(b.mid()), now + waitMs * 1_000_000,
            dev.gmpsim.protocol.scenario.RuntimeSpec.DEFAULT_TIMER_SLACK_NS, run.cost.timerWakeup(),
            getContext().getSelf(), at -> new PollTimeout(at, token), null);
      } else {
        long wake = now + waitMs * 1_000_000 + (waitMs == 0 ? 0 : run.cost.timerSlack());
        send(getContext().getSelf(), new PollTimeout(wake, ++pollToken));
      }
    }
    return this;
  }

  private Behavior<Command> onPollTimeout(PollTimeout t) {
    if (blocked != null && t.token() == pollToken) {
      boolean timer = pollTimer != null;
      pollTimer = null;
      wakePoller(timer ? 0 : run.cost.futexWake());
    }
    return this;
  }

  /**
   * Wakes the M blocked in epoll_wait. It returns {@code latency} later with what is ready then
   * (netpoll.go copies out the events when the thread runs again, not when the first one fired),
   * at most 128 of them; sched.lastpoll stays 0 until then, so no other M polls meanwhile.
   */
  private void wakePoller(long latency) {
    Poller p = blocked;
    blocked = null;
    pollToken++;
    if (pollTimer != null) {
      run.hrtimers.cancel(pollTimer); // woken before its timeout: the timer is taken off
      pollTimer = null;
    }
    atomics.pollUntil = 0;
    if (latency == 0) {
      returnTo(p);
    } else {
      emit(getContext().getSelf(), new PollReturn(now + latency, p));
    }
  }

  private Behavior<Command> onPollReturn(PollReturn r) {
    returnTo(r.poller());
    return this;
  }

  private void returnTo(Poller p) {
    emit(run.sched, new Sched.NetpollReturned(now, p.m(), p.mid(), drain(), p.wasSpinning()));
  }

  /**
   * What netpoll returns: the ready descriptors, at most {@link #EPOLL_EVENTS} per call (the rest
   * stay ready for the next poll), and the timers that fired while an M was blocked (run by
   * checkTimers, not counted against epoll's array). A G returned from a descriptor stops counting
   * as a netpoll waiter from Go 1.22 on (netpollAdjustWaiters); before that the count was only
   * lowered on deadlines and closes, so in effect it never went back to zero once the network
   * had been used.
   */
  private G[] drain() {
    return take(true);
  }

  /**
   * Takes the ready goroutines: with {@code descriptors} those of fds too (at most {@link
   * #EPOLL_EVENTS}, the rest stay for the next poll, in order), else only the fired timers.
   */
  private G[] take(boolean descriptors) {
    boolean adjust = run.goMinor >= 22;
    int n = ready.size();
    java.util.ArrayList<G> out = new java.util.ArrayList<>(Math.min(n, EPOLL_EVENTS));
    int events = 0;
    for (int i = 0; i < n; i++) {
      G g = ready.pollFirst();
      if (g.fromFd && (!descriptors || events == EPOLL_EVENTS)) {
        ready.addLast(g);
        continue;
      }
      g.take(G.Where.NETPOLL_READY, run.stats);
      if (g.fromFd) {
        events++;
        if (adjust) {
          atomics.netpollWaiters--;
        }
      }
      g.fromFd = false;
      g.runnableSince = now; // runnable from here until some P runs it
      out.add(g);
    }
    atomics.netpollReady = ready.size();
    atomics.timersDue = 0; // every fired timer left ready went out above
    return out.toArray(new G[0]);
  }

}
