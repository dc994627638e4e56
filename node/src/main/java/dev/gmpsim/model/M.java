package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.scenario.RuntimeSpec;
import java.util.function.Consumer;

/**
 * An M: one OS thread. It runs its G's program while it holds a P, blocks in the kernel for
 * syscalls and cgo calls (entersyscall / exitsyscall), parks on sched.midle when stopm'd (and is
 * never freed), and dies only when a goroutine locked to it exits.
 */
public final class M extends SimActor<M.Command> {
  public sealed interface Command extends Msg {}

  /** startm / newm: wake (or start) with {@code p} as nextp. */
  public record Start(long at, ActorRef<P.Command> p, int pid, boolean spinning) implements Command {}

  /** execute(g) on P {@code pid}. */
  public record Execute(long at, G g, ActorRef<P.Command> p, int pid, long schedtick)
      implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      f.accept(g);
    }
  }

  /** exitsyscall succeeded with P {@code pid}: the G goes on. */
  public record Resume(long at, ActorRef<P.Command> p, int pid) implements Command {}

  /** The G's compute step {@code token} is over. */
  public record StepDone(long at, long token) implements Command {}

  /** Asynchronous preemption of the G started at {@code schedtick}. */
  public record Preempt(long at, long schedtick) implements Command {}

  /** stopm: now parked on midle. */
  public record Stopped(long at) implements Command {}

  /** stoplockedm without a P (exitsyscall0 of a locked G). */
  public record LockedWait(long at) implements Command {}

  /** preemptall of a stop-the-world: the running goroutine stops at its next safe point. */
  public record StwPreempt(long at) implements Command {}

  /** startTheWorldWithSema is done: the M that stopped the world goes on with its goroutine. */
  public record WorldStarted(long at) implements Command {}

  /** The thread exits (idle-ms: pool over its cap). */
  public record Exit(long at) implements Command {}

  /** {@code woken}, delivered again once the woken thread has a CPU (docs/costs.md, "CPUs"). */
  public record OnCpu(long at, Command woken) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      woken.forEachG(f);
    }
  }

  enum State {
    IDLE,
    SCHEDULING,
    RUNNING,
    SYSCALL,
    LOCKED_WAIT,
    TEMPLATE,
    /** Stopping the world for the GC and doing the stopped world's work, holding its P. */
    STW,
    /** m0 after a goroutine exited locked to it: parked for good, its OS thread kept. */
    WEDGED,
    DEAD;

    final String label = name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Safety valve: yield to the clock after this many zero-time ops in a row. */
  private static final int MAX_OPS_PER_SLICE = 4096;

  private final int id;
  private final Atomics atomics;
  private final RunStats stats;
  private final MView view;
  private State state;
  private ActorRef<P.Command> p;
  private int pid = -1;
  private G curg;
  private G lockedg;
  private long execTick;
  private long execStart;
  private long token;
  private long computeStart;
  private long computeEnd;
  /** The step's CPU work before the CPUs' fair share stretched it (what is left of it is kept on preemption). */
  private long computeWork;
  private boolean computing;
  /** m.incgo: in a cgo call (no kernel entry to pay for). */
  private boolean incgo;
  /** A preemption request that found no compute to cut: honoured at the next safe point. */
  private boolean preemptPending;
  /** The syscall this M is in, for the trace. */
  private String syscallName = "";
  private final PipeSteps pipeSteps;

  /**
   * A new M. Its view is made by the caller: the constructor may run on another thread while
   * the run goes on, so it touches nothing the run shares.
   */
  public static Behavior<Command> create(RunContext run, int id, boolean template) {
    State s = template ? State.TEMPLATE : State.IDLE;
    MView view = run.mview(id);
    view.state = s.label;
    return run.wrap("M", id, Behaviors.setup(ctx -> new M(ctx, run, id, s, view)));
  }

  /** m0, the main thread: already in schedule(), about to be handed the main goroutine. */
  static Behavior<Command> createM0(RunContext run) {
    MView view = run.mview(0);
    view.state = State.SCHEDULING.label;
    if (run.cpus != null) {
      run.cpus.start(Cpus.m(0), 0); // m0 runs from the start
    }
    return run.wrap("M", 0, Behaviors.setup(ctx -> new M(ctx, run, 0, State.SCHEDULING, view)));
  }

  private M(ActorContext<Command> ctx, RunContext run, int id, State initial, MView view) {
    super(ctx, run);
    this.id = id;
    this.atomics = run.atomics;
    this.stats = run.stats;
    this.view = view;
    this.state = initial;
    this.pipeSteps = new PipeSteps(run, new PipeSteps.Host() {
      public long quickSyscall(long t, String name, long d) { return M.this.quickSyscall(t, name, d); }
      public void ready(long t, G g) { M.this.ready(t, g); }
      public int pid() { return pid; }
      public void toNetpoller(Netpoller.Command c) { send(run.netpoller, c); }
    });
  }

  @Override
  Handlers<Command> handlers() {
    return Handlers.<Command>create()
        .on(Start.class, this::onStart)
        .on(Execute.class, this::onExecute)
        .on(Resume.class, this::onResume)
        .on(StepDone.class, this::onStepDone)
        .on(Preempt.class, this::onPreempt)
        .on(Stopped.class, this::onStopped)
        .on(LockedWait.class, this::onLockedWait)
        .on(Exit.class, this::onExit)
        .on(StwPreempt.class, this::onStwPreempt)
        .on(WorldStarted.class, this::onWorldStarted)
        .on(OnCpu.class, this::onOnCpu);
  }

  /** Set while a woken message is handled again with its CPU: it must not wait twice. */
  private boolean granted;

  /**
   * The thread was woken now (futex, startm, newm): true when it must first wait for a CPU; the
   * message comes back as {@link OnCpu} when it has one.
   */
  private boolean waitsForCpu(Command woken) {
    return !granted && waitsForCpu(Cpus.m(id), at -> new OnCpu(at, woken));
  }

  private Behavior<Command> onOnCpu(OnCpu o) {
    granted = true;
    try {
      return o.woken() instanceof Start s ? onStart(s) : onExecute((Execute) o.woken());
    } finally {
      granted = false;
    }
  }

  private Behavior<Command> onStart(Start s) {
    if (state != State.IDLE) {
      violation("M" + id + " started while " + state);
      return this;
    }
    if (waitsForCpu(s)) {
      return this;
    }
    setState(State.SCHEDULING, now);
    p = s.p();
    pid = s.pid();
    view.p = pid;
    send(p, new P.Acquire(now, getContext().getSelf(), id, s.spinning(), null, false, null));
    return this;
  }

  private Behavior<Command> onExecute(Execute e) {
    if (state != State.SCHEDULING && state != State.LOCKED_WAIT) {
      violation("M" + id + " asked to run G" + e.g().id + " while " + state);
      return this;
    }
    if (state == State.LOCKED_WAIT && waitsForCpu(e)) {
      return this; // startlockedm woke this thread
    }
    if (state == State.LOCKED_WAIT) {
      atomics.nmidlelocked--;
    }
    G g = e.g();
    p = e.p();
    pid = e.pid();
    execTick = e.schedtick();
    preemptPending = false;
    execStart = now;
    curg = g;
    g.place(G.Where.ON_M, stats);
    g.status = G.Status._Grunning;
    g.m = id;
    g.waitReason = "";
    if (g.runnableSince >= 0) {
      stats.schedLatency(now, now - g.runnableSince);
      g.runnableSince = -1;
    }
    setState(State.RUNNING, now);
    view.p = pid;
    view.curg = g.id;
    view.spinning = false;
    return run(now);
  }

  private Behavior<Command> onResume(Resume r) {
    if (state != State.SYSCALL) {
      violation("M" + id + " resumed while " + state);
      return this;
    }
    leaveSyscall();
    p = r.p();
    pid = r.pid();
    view.p = pid;
    curg.status = G.Status._Grunning;
    setState(State.RUNNING, now);
    return run(now);
  }

  private Behavior<Command> onStepDone(StepDone d) {
    if (d.token() != token || !computing) {
      return this; // cut short by a preemption
    }
    if (run.cpus != null) {
      long owed = run.cpus.owed(Cpus.m(id));
      if (owed > 0) {
        // Woken threads preempted this one: the step ends that much later.
        computeEnd = now + owed;
        send(getContext().getSelf(), new StepDone(computeEnd, ++token));
        return this;
      }
      run.cpus.burst(Cpus.m(id));
    }
    computing = false;
    stats.ranGo(computeStart, now);
    return run(now);
  }

  private Behavior<Command> onPreempt(Preempt pr) {
    if (pr.schedtick() != execTick || (curg != null && curg.gcWorker)) {
      return this; // a mark worker is not preempted by sysmon: it drains until it has no work
    }
    if (state != State.RUNNING || !computing) {
      // Not in Go code right now (in a syscall): gp.preempt stays set and the G yields at its
      // next safe point, as with the runtime's stack-guard check after exitsyscall.
      preemptPending = state == State.RUNNING || state == State.SYSCALL;
      return this;
    }
    // gopreempt_m -> goschedImpl: the G goes to the global run queue.
    if (run.cpus != null) {
      run.cpus.burst(Cpus.m(id));
    }
    computing = false;
    token++;
    stats.ranGo(computeStart, now);
    stats.count(Counter.PREEMPTIONS);
    if (run.trace != null) {
      run.trace.mInstant(id, now, "preempt", gName(curg));
    }
    curg.pendingCompute = remainingWork();
    gosched(now);
    return this;
  }

  private Behavior<Command> onStwPreempt(StwPreempt s) {
    if (state == State.RUNNING && computing) {
      computing = false;
      token++;
      stats.ranGo(computeStart, now);
      if (curg.gcWorker) {
        run.gc.endSlice(curg, computeEnd - now, pid);
        parkWorker(now);
        return this;
      }
      stats.count(Counter.PREEMPTIONS);
      curg.pendingCompute = computeEnd - now;
      gosched(now);
    } else if (state == State.RUNNING || state == State.SYSCALL) {
      preemptPending = true; // back from the kernel (Resume on its way): it yields at once
    }
    return this;
  }

  private Behavior<Command> onWorldStarted(WorldStarted w) {
    if (state != State.STW) {
      violation("M" + id + " told the world started while " + state);
      return this;
    }
    setState(State.RUNNING, now);
    return run(now);
  }

  /** The M's goroutine stops the world for the GC (gcStart or gcMarkDone); the M keeps its P. */
  private void stopTheWorld(long t, GcController.Stw why) {
    setState(State.STW, t);
    send(run.sched, new Sched.StopTheWorld(t, why, getContext().getSelf(), id, pid));
  }

  /** gcBgMarkWorker parks: back to the pool, and the M schedules. */
  private Behavior<Command> parkWorker(long t) {
    G w = curg;
    run.gc.parked(w);
    return gopark(t, GcController.WORKER_WAIT, G.Where.BLOCKED);
  }

  private Behavior<Command> onStopped(Stopped s) {
    if (state == State.SYSCALL) {
      leaveSyscall();
      curg = null;
    }
    p = null;
    pid = -1;
    view.p = -1;
    view.curg = -1;
    setState(State.IDLE, now);
    return this;
  }

  private Behavior<Command> onLockedWait(LockedWait w) {
    if (state == State.SYSCALL) {
      leaveSyscall();
      curg = null;
    }
    p = null;
    pid = -1;
    view.p = -1;
    view.curg = -1;
    atomics.nmidlelocked++;
    setState(State.LOCKED_WAIT, now);
    run.liveness.checkdead(); // incidlelocked(1) calls checkdead
    return this;
  }

  private Behavior<Command> onExit(Exit e) {
    die(now);
    return Behaviors.stopped();
  }

  /**
   * Runs the current G's program from time {@code t} until it blocks, parks, ends or starts a
   * step that takes virtual time. Steps that only cost a little (VDSO calls, short syscalls,
   * channel operations) are added to {@code t} without a round trip through the clock.
   */
  private Behavior<Command> run(long t) {
    long from = t;
    Behavior<Command> next = interpret(t);
    // Go code ran (including short syscalls and cgo calls made in line) up to where we stopped.
    stats.ranGo(from, ranUntil);
    return next;
  }

  /** Where the last {@link #interpret} stopped running the G's program, in virtual time. */
  private long ranUntil;

  private Behavior<Command> interpret(long t0) {
    long t = t0;
    try {
      G g = curg;
      for (int ops = 0; ; ops++) {
        if (ops == MAX_OPS_PER_SLICE) {
          startCompute(t, 0);
          return this;
        }
        if (preemptPending && g.gcWorker) {
          preemptPending = false;
          return parkWorker(t);
        }
        if (preemptPending) {
          preemptPending = false;
          stats.count(Counter.PREEMPTIONS);
          if (run.trace != null) {
            run.trace.mInstant(id, t, "preempt", gName(g) + " at a safe point");
          }
          gosched(t);
          return this;
        }
        if (g.pendingCompute > 0) {
          long d = g.pendingCompute;
          g.pendingCompute = 0;
          startCompute(t, d);
          return this;
        }
        if (g.rereadPending) {
          // Back from the netpoller: the read is retried and now finds data.
          g.rereadPending = false;
          t = quickSyscall(t, "read", run.cost.netSyscall());
          if (g.startsRequest) {
            g.startsRequest = false;
            g.requestStart = g.lastReady;
          }
        }
        if (g.pipeWake != 0) {
          t = pipeSteps.woken(t, g);
          if (pipeSteps.exit) {
            return goexit(t);
          }
        }
        Op op = g.retry != null ? g.retry : g.next(t);
        g.retry = null;
        if (op == null || op instanceof Op.Exit) {
          return goexit(t);
        }
        if (op instanceof Op.Compute c) {
          long d = c.duration().sample(run.rng);
          if (d > 0) {
            startCompute(t, d);
            return this;
          }
        } else if (op instanceof Op.RawSyscall r) {
          // No entersyscall: to the scheduler this is Go code running on its P.
          long d = run.cost.syscall() + r.duration().sample(run.rng);
          stats.syscall(r.name(), d);
          startCompute(t, d);
          return this;
        } else if (op instanceof Op.Syscall s) {
          long d = s.duration().sample(run.rng);
          // With a machine the kernel's timers end a sleep; else it ends a sampled slack late.
          boolean onTimer = run.hrtimers != null && Costs.sleepsOnTimer(s.name(), d, s.wakeup());
          if (!onTimer) {
            d += run.cost.wakeup(s.name(), d, s.wakeup());
          }
          d = run.cost.call(id, s.name(), t, d);
          if (!onTimer && !s.block() && canRunInline(t, d)) {
            t = quickSyscall(t, s.name(), d);
          } else {
            enterSyscall(t, s.name(), d, s.block(), onTimer);
            return this;
          }
        } else if (op instanceof Op.Cgo c) {
          stats.count(Counter.CGO_CALLS);
          long d = c.duration().sample(run.rng);
          boolean onTimer = run.hrtimers != null && Costs.cgoSleepsOnTimer(d, c.wakeup());
          if (!onTimer) {
            d += run.cost.cgoWakeup(d, c.wakeup());
          }
          d = run.cost.call(id, "cgo", t, d);
          long overhead = run.cost.cgoCall();
          t += overhead;
          stats.count(Counter.CGO_OVERHEAD_NS, overhead);
          incgo = true;
          if (!onTimer && canRunInline(t, d)) {
            t = quickSyscall(t, "cgo", d);
            incgo = false;
          } else {
            enterSyscall(t, "cgo", d, false, onTimer);
            return this;
          }
        } else if (op instanceof Op.Vdso v) {
          stats.count(Counter.VDSO_CALLS);
          if (run.runtime.vdso()) {
            t += run.cost.vdso();
          } else {
            // No VDSO: the runtime makes the real syscall itself, without entersyscall.
            t += run.cost.vdsoFallback();
            stats.syscall(v.name(), run.cost.vdsoFallback());
          }
        } else if (op instanceof Op.NetRead r) {
          t = quickSyscall(t, "read", run.cost.netSyscall());
          long readyAt = dataArrives(r, g, t);
          if (readyAt > t) {
            g.rereadPending = true;
            g.startsRequest = r.startsRequest();
            send(run.netpoller, new Netpoller.Park(t, g, readyAt));
            return gopark(t, "IO wait", null);
          }
          if (r.startsRequest()) {
            g.requestStart = readyAt;
          }
        } else if (op instanceof Op.NetWrite) {
          t = quickSyscall(t, "write", run.cost.netSyscall());
        } else if (op instanceof Op.Sleep s) {
          long d = s.duration().sample(run.rng);
          if (d > 0) {
            send(run.netpoller, new Netpoller.AddTimer(t, g, t + d, pid));
            return gopark(t, "sleep", null);
          }
        } else if (op instanceof Op.Send s) {
          Chan c = run.chans.get(s.chan());
          t += run.cost.gopark();
          if (c.closed) {
            run.events.halt("fatal: panic: send on closed channel");
            return this;
          }
          G r = c.recvq.poll();
          if (r != null) {
            r.take(G.Where.CHAN, stats);
            ready(t, r);
          } else if (c.count < c.capacity) {
            c.count++;
          } else {
            c.sendq.addLast(g);
            return gopark(t, "chan send", G.Where.CHAN);
          }
        } else if (op instanceof Op.Recv rc) {
          Chan c = run.chans.get(rc.chan());
          t += run.cost.gopark();
          G s = c.sendq.poll();
          if (s != null) {
            // A blocked sender's value takes the place of the one received.
            s.take(G.Where.CHAN, stats);
            ready(t, s);
          } else if (c.count > 0) {
            c.count--;
          } else if (c.closed) {
            // A closed channel gives its zero value at once.
          } else {
            c.recvq.addLast(g);
            return gopark(t, "chan receive", G.Where.CHAN);
          }
        } else if (op instanceof Op.Close cl) {
          Chan c = run.chans.get(cl.chan());
          if (c.closed) {
            run.events.halt("fatal: panic: close of closed channel");
            return this;
          }
          c.closed = true;
          t += run.cost.gopark();
          // closechan readies every waiting receiver; a waiting sender would panic.
          if (!c.sendq.isEmpty()) {
            run.events.halt("fatal: panic: send on closed channel");
            return this;
          }
          for (G r = c.recvq.poll(); r != null; r = c.recvq.poll()) {
            r.take(G.Where.CHAN, stats);
            ready(t, r);
          }
        } else if (op instanceof Op.Done dn) {
          WaitGroup w = run.waitgroups.get(dn.wg());
          if (--w.count < 0) {
            run.events.halt("fatal: panic: sync: negative WaitGroup counter");
            return this;
          }
          if (w.count == 0) {
            t += run.cost.gopark();
            for (G r = w.waiters.poll(); r != null; r = w.waiters.poll()) {
              r.take(G.Where.CHAN, stats);
              ready(t, r);
            }
          }
        } else if (op instanceof Op.Wait wt) {
          WaitGroup w = run.waitgroups.get(wt.wg());
          if (w.count > 0) {
            w.waiters.addLast(g);
            return gopark(t + run.cost.gopark(), run.goMinor >= 24 ? "sync.WaitGroup.Wait" : "semacquire",
                G.Where.CHAN);
          }
        } else if (op instanceof Op.Set st) {
          if (!run.flags[st.flag()]) {
            run.flags[st.flag()] = true;
            // Groups waiting to start-when it is set (as receivers of a closed channel).
            java.util.ArrayDeque<G> q = st.flag() < run.flagWaiters.size() ? run.flagWaiters.get(st.flag()) : null;
            for (G w = q == null ? null : q.poll(); w != null; w = q.poll()) {
              w.take(G.Where.CHAN, stats);
              ready(t, w);
            }
          }
        } else if (op instanceof Op.WaitFlag wf) {
          if (!run.flags[wf.flag()]) {
            run.flagWaiters.get(wf.flag()).addLast(g);
            return gopark(t + run.cost.gopark(), "chan receive", G.Where.CHAN);
          }
        } else if (op instanceof Op.PipeOp po) {
          t = pipeSteps.run(t, g, po);
          if (pipeSteps.park != null) {
            return gopark(t, pipeSteps.park, pipeSteps.parkIn);
          } else if (pipeSteps.exit) {
            return goexit(t);
          }
        } else if (op instanceof Op.SleepUntil su) {
          if (su.at() > t) {
            send(run.netpoller, new Netpoller.AddTimer(t, g, su.at(), pid));
            return gopark(t, "sleep", null);
          }
        } else if (op instanceof Op.Lock l) {
          lockOSThread(t, g, l.user());
        } else if (op instanceof Op.Unlock u) {
          unlockOSThread(g, u.user());
        } else if (op instanceof Op.Spawn s) {
          t += run.cost.newproc();
          G child = run.newG(false, s.program());
          if (run.trace != null) {
            child.group = run.groupOf.get(s.program());
          }
          if (s.carriesRequest()) {
            child.requestStart = g.lastReady;
          }
          child.index = s.indexed() ? g.spawned++ : g.index;
          child.runnableSince = t;
          send(p, new P.RunqPut(t, child, true));
          wakep(t);
        } else if (op instanceof Op.Gosched) {
          gosched(t);
          return this;
        } else if (op instanceof Op.Block b) {
          return gopark(t, b.reason(), G.Where.BLOCKED);
        } else if (op instanceof Op.Accept a) {
          t = quickSyscall(t, "accept4", run.cost.netSyscall());
          long next = run.arrivals.get(a.arrivals()).next(run.rng, t);
          if (next > t) {
            g.rereadPending = false;
            g.startsRequest = false;
            send(run.netpoller, new Netpoller.Park(t, g, next));
            return gopark(t, "IO wait", null);
          }
          g.lastReady = next; // a connection was already waiting in the backlog
        } else if (op instanceof Op.Alloc al) {
          GcController gc = run.gc;
          long assist = gc.alloc(al.bytes(), t);
          if (gc.shouldStart()) {
            gc.gcStart();
            stopTheWorld(t, GcController.Stw.SWEEP_TERMINATION);
            return this;
          }
          if (assist > 0) {
            startCompute(t, assist); // gcAssistAlloc: the goroutine marks before it allocates
            return this;
          }
        } else if (op instanceof Op.MarkWork) {
          long slice = run.gc.workerSlice(g, pid, t);
          if (slice > 0) {
            startCompute(t, slice);
            return this;
          }
          if (slice == GcController.MARK_DONE) {
            stopTheWorld(t, GcController.Stw.MARK_TERMINATION);
            return this;
          }
          return parkWorker(t);
        } else if (op instanceof Op.RequestStart) {
          g.requestStart = t;
        } else if (op instanceof Op.RequestEnd) {
          if (g.requestStart >= 0) {
            stats.requestLatency(t, t - g.requestStart);
            g.requestStart = -1;
          }
        } else if (op instanceof Op.StartTemplateThread) {
          if (!atomics.haveTemplateThread) {
            send(run.sched, new Sched.StartTemplateThread(t));
          }
        }
      }
    } finally {
      ranUntil = t;
    }
  }

  /**
   * When the data a socket read waits for arrives: {@code delay} after the read from a
   * closed-loop peer; from an open-loop one at its next send time, which may already be past
   * (the data was sent while the goroutine was busy).
   */
  private long dataArrives(Op.NetRead r, G g, long t) {
    if (r.tick() > 0) {
      return TickedPeer.nextRequest(g, t, r.tick(), run.rng);
    }
    if (r.every() == null) {
      return t + Math.max(0, r.delay().sample(run.rng));
    }
    if (g.nextArrival < 0) {
      // Without a first gap the peer starts at a random point of its first interval.
      g.nextArrival =
          t + (r.first() != null
              ? r.first().sample(run.rng)
              : (long) (run.rng.nextDouble() * r.every().sample(run.rng)));
    }
    long at = g.nextArrival;
    g.nextArrival = at + r.every().sample(run.rng);
    return at;
  }

  /**
   * A syscall can run without telling its P only when sysmon could not take the P anyway: under
   * the go rules a syscall must be seen on two sysmon rounds at least 20us apart, under the
   * threshold rule it must outlast the threshold, and a G that has run for 10ms can lose its P at
   * once.
   */
  private boolean canRunInline(long t, long d) {
    long limit =
        run.runtime.retake() == RuntimeSpec.Retake.THRESHOLD
            ? run.runtime.retakeThreshold()
            : Sysmon.MIN_DELAY_NS;
    long inKernel = d + run.cost.syscall();
    return inKernel < limit && t + inKernel - execStart < Sysmon.FORCE_PREEMPT_NS;
  }

  /** entersyscall + the kernel + exitsyscallfast on the same P, with no chance of a retake. */
  private long quickSyscall(long t, String name, long d) {
    stats.count(Counter.SYSCALLS);
    stats.count(Counter.EXITSYSCALL_FAST);
    stats.syscall(name, d);
    if (atomics.sysmonwait) {
      send(run.sysmon, new Sysmon.Wake(t));
    }
    // A cgo call runs C code in user space: no kernel entry and exit to pay for.
    long kernel = incgo ? 0 : run.cost.syscall();
    long back = t + run.cost.entersyscall() + kernel + d + run.cost.exitsyscallfast();
    if (run.trace != null) {
      run.trace.quick(id, t, back, incgo, name, curg.id);
    }
    return back;
  }

  /** entersyscall: the P goes to _Psyscall (or is handed off at once); the M enters the kernel. */
  private void enterSyscall(long t, String name, long d, boolean block, boolean onTimer) {
    syscallName = name;
    stats.count(Counter.SYSCALLS);
    stats.syscall(name, d);
    long t0 = t + run.cost.entersyscall();
    curg.status = G.Status._Gsyscall;
    atomics.msInSyscall++;
    // The kernel returns at t0 + d; then exitsyscall tries the old P.
    long kernel = incgo ? 0 : run.cost.syscall();
    if (run.cpus != null) {
      run.cpus.off(Cpus.m(id), t0 + kernel); // on the CPU until the call blocks in the kernel
    }
    setState(State.SYSCALL, t);
    send(p, new P.EnterSyscall(t0, id, block, name));
    ActorRef<Command> self = getContext().getSelf();
    G g = curg;
    if (onTimer) {
      // The sleep ends when the kernel's timer expires and the thread is woken (HrTimers).
      long expiry = t0 + kernel + d;
      long latency = run.cost.timerWakeup();
      stats.syscallTime(name, latency);
      run.hrtimers.arm(Cpus.m(id), expiry, run.cost.programSlackNs(), latency, p,
          at -> new P.ExitSyscall(at, self, id, g), late -> stats.syscallTime(name, late));
    } else {
      send(p, new P.ExitSyscall(t0 + kernel + d, self, id, g));
    }
    p = null;
    pid = -1;
    view.p = -1;
  }

  private void leaveSyscall() {
    incgo = false;
    atomics.msInSyscall--;
  }

  private void startCompute(long t, long d) {
    computeWork = d;
    if (run.cpus != null) {
      d = run.cpus.compute(Cpus.m(id), t, d);
    }
    computing = true;
    computeStart = t;
    computeEnd = t + d;
    send(getContext().getSelf(), new StepDone(computeEnd, ++token));
  }

  /** The work left of the step cut now: without the CPU model, computeEnd - now. */
  private long remainingWork() {
    long left = computeEnd - now;
    if (run.cpus == null || left <= 0 || computeEnd - computeStart == computeWork) {
      return left;
    }
    return Math.min(computeWork, Math.round((double) computeWork * left / (computeEnd - computeStart)));
  }

  private void lockOSThread(long t, G g, boolean user) {
    if (user && !atomics.haveTemplateThread) {
      send(run.sched, new Sched.StartTemplateThread(t));
    }
    if (user && run.trace != null) {
      run.trace.mLocked(id);
    }
    if (user) {
      g.lockedExt++;
    } else {
      g.lockedInt++;
    }
    g.lockedm = id;
    g.lockedmRef = getContext().getSelf();
    lockedg = g;
    view.lockedg = g.id;
  }

  /** The thread is released only when every LockOSThread has been matched (dounlockOSThread). */
  private void unlockOSThread(G g, boolean user) {
    if (user) {
      if (g.lockedExt == 0) {
        return; // UnlockOSThread without a lock is a no-op
      }
      g.lockedExt--;
    } else if (g.lockedInt > 0) {
      g.lockedInt--;
    }
    if (g.lockedExt != 0 || g.lockedInt != 0) {
      return;
    }
    g.lockedm = -1;
    g.lockedmRef = null;
    lockedg = null;
    view.lockedg = -1;
  }

  /** ready(gp): runqput on our P with next=true, then wakep. */
  private void ready(long t, G g) {
    g.status = G.Status._Grunnable;
    g.runnableSince = t;
    send(p, new P.RunqPut(t, g, true));
    wakep(t);
  }

  /** wakep's lock-free pre-check; Sched repeats it under its lock. */
  private void wakep(long t) {
    if (atomics.wakepWorthTrying(run.goMinor)) {
      send(run.sched, new Sched.WakeP(t));
    }
  }

  /** gopark: the G waits ({@code in} the place that now holds it, if the M puts it there). */
  private Behavior<Command> gopark(long t, String reason, G.Where in) {
    G g = curg;
    g.status = G.Status._Gwaiting;
    g.waitReason = reason;
    g.m = -1;
    curg = null;
    view.curg = -1;
    g.take(G.Where.ON_M, stats);
    if (in != null) {
      g.place(in, stats);
    }
    schedule(t + run.cost.gopark());
    return this;
  }

  /** goschedImpl: the G goes to the global queue and the M schedules. */
  private void gosched(long t) {
    G g = curg;
    g.take(G.Where.ON_M, stats);
    g.status = G.Status._Grunnable;
    g.runnableSince = t;
    g.m = -1;
    curg = null;
    view.curg = -1;
    send(run.sched, new Sched.GlobrunqPut(t, new G[] {g}));
    schedule(t);
  }

  /** schedule(): a locked M hands off its P and waits for its G; others ask the P for work. */
  private void schedule(long t) {
    if (lockedg != null) {
      // stoplockedm
      send(p, new P.Drop(t, id));
      p = null;
      pid = -1;
      view.p = -1;
      atomics.nmidlelocked++;
      setState(State.LOCKED_WAIT, t);
      run.liveness.checkdead(); // incidlelocked(1) calls checkdead
      return;
    }
    setState(State.SCHEDULING, t);
    send(p, new P.Schedule(t, id));
  }

  /** goexit0: the G is dead; a thread it was locked to dies with it. */
  private Behavior<Command> goexit(long t) {
    G g = curg;
    if (g.requestStart >= 0) {
      // A request goroutine that returns early still ends its request.
      stats.requestLatency(t, t - g.requestStart);
      g.requestStart = -1;
    }
    g.take(G.Where.ON_M, stats);
    g.status = G.Status._Gdead;
    g.place(G.Where.DEAD, stats);
    run.gDead(g);
    curg = null;
    view.curg = -1;
    if (g.lockedm == id && id == 0) {
      return wedgeM0(t);
    }
    if (g.lockedm == id) {
      // mexit: release and hand off the P, and the thread is gone.
      stats.count(Counter.LOCKED_MS_DESTROYED);
      if (run.trace != null) {
        run.trace.mInstant(id, t, "mexit", gName(g) + " exited locked");
      }
      send(p, new P.Drop(t, id));
      send(run.sched, new Sched.MExit(t, id));
      die(t);
      return Behaviors.stopped();
    }
    lockedg = null;
    view.lockedg = -1;
    schedule(t + run.cost.schedule());
    return this;
  }

  /**
   * mexit on m0: exiting the main thread would leave the process a zombie on Linux, so the
   * runtime hands off the P and parks m0 for good (nmfreed++: schedtrace stops counting it, but
   * the OS thread stays). Nothing may wake it: the runtime throws "locked m0 woke up".
   */
  private Behavior<Command> wedgeM0(long t) {
    send(p, new P.Drop(t, id));
    send(run.sched, new Sched.MExit(t, id));
    setState(State.WEDGED, t);
    view.p = -1;
    view.lockedg = -1;
    view.blocked = true;
    lockedg = null;
    stats.mAlive(-1);
    return Behaviors.receiveMessage(
        m -> {
          violation("locked m0 woke up (" + m.getClass().getSimpleName() + ")");
          run.events.deliverNext();
          return Behaviors.same();
        });
  }

  private void die(long t) {
    setState(State.DEAD, t);
    view.dead = true;
    stats.mAlive(-1);
  }

  private void setState(State s, long t) {
    if (run.cpus != null && s != State.RUNNING && s != State.SCHEDULING) {
      run.cpus.off(Cpus.m(id), t); // blocked in the kernel, parked on a futex, or gone
    }
    state = s;
    view.state = s.label;
    if (run.trace != null) {
      traceState(t);
    }
  }

  /** The slice this M's track shows from {@code t} on. */
  private void traceState(long t) {
    TraceRecorder tr = run.trace;
    switch (state) {
      case RUNNING -> tr.m(id, t, TraceRecorder.Kind.RUN, gName(curg), curg.id);
      case SYSCALL -> tr.m(id, t, incgo ? TraceRecorder.Kind.CGO : TraceRecorder.Kind.SYSCALL,
          incgo ? "cgo" : syscallName, curg.id);
      case SCHEDULING -> tr.m(id, t, view.spinning ? TraceRecorder.Kind.SPIN : TraceRecorder.Kind.NONE,
          "spinning", -1);
      case IDLE -> tr.m(id, t, TraceRecorder.Kind.IDLE, "idle (stopm)", -1);
      case LOCKED_WAIT -> tr.m(id, t, TraceRecorder.Kind.LOCKED, "locked, waiting for its G", -1);
      case TEMPLATE -> tr.m(id, t, TraceRecorder.Kind.IDLE, "template thread", -1);
      case WEDGED -> tr.m(id, t, TraceRecorder.Kind.IDLE, "wedged (m0 after a locked exit)", -1);
      case STW -> tr.m(id, t, TraceRecorder.Kind.RUN, "stop the world (GC)", curg == null ? -1 : curg.id);
      case DEAD -> tr.m(id, t, TraceRecorder.Kind.NONE, null, -1);
    }
  }

  static String gName(G g) {
    return g.group == null ? "G" + g.id : "G" + g.id + " " + g.group;
  }
}
