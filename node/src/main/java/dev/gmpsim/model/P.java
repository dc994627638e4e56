package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A P: the permission to run Go code, with its local run queue. The P runs {@code schedule()}
 * on behalf of the M that holds it (the runqueue, runnext and schedtick are the P's), asks
 * {@link Sched} for global work, steals from other Ps, and settles the race between sysmon's
 * retake and a returning M's exitsyscallfast: both are messages to the P, and whichever the
 * clock delivers first wins, as the CAS on pp.status does in proc.go.
 */
public final class P extends SimActor<P.Command> {
  // Statuses as in runtime2.go.
  static final int _Pidle = 0;
  static final int _Prunning = 1;
  static final int _Psyscall = 2;
  static final int _Pgcstop = 3;
  static final int _Pdead = 4;

  /** Local run queue capacity, as len(pp.runq). */
  static final int RUNQ_SIZE = 256;

  public sealed interface Command extends Msg {}

  /**
   * acquirep by {@code m}. With {@code g} the M runs it at once ({@code resume}: it is the M's own
   * G returning from a syscall); {@code batch} goes to the local run queue (injectglist).
   */
  public record Acquire(
      long at, ActorRef<M.Command> m, int mid, boolean spinning, G g, boolean resume, G[] batch)
      implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      forEach(f, g, batch);
    }
  }

  /** The holding M wants its next G (schedule()). */
  public record Schedule(long at, int mid) implements Command {}

  /** runqput by the holding M (newproc, ready). */
  public record RunqPut(long at, G g, boolean next) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      f.accept(g);
    }
  }

  /** entersyscall (or entersyscallblock) by the holding M. */
  public record EnterSyscall(long at, int mid, boolean block, String name) implements Command {}

  /** The M is back from the kernel and tries exitsyscallfast on its old P. */
  public record ExitSyscall(long at, ActorRef<M.Command> m, int mid, G g) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      f.accept(g);
    }
  }

  /** The M's return from the kernel, delivered again once its thread has a CPU. */
  public record OnCpu(long at, ExitSyscall exit) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      exit.forEachG(f);
    }
  }

  /** sysmon's CAS _Psyscall -> _Pidle, valid only for the syscall it saw. */
  public record Retake(long at, long syscalltick) implements Command {}

  /** sysmon's preemptone: the G running since {@code schedtick} has run too long. */
  public record Preempt(long at, long schedtick) implements Command {}

  /** A thief asks this P for half of its run queue (runqgrab); runnext only if {@code runnext}. */
  public record StealRequest(long at, int thief, boolean runnext, int[] order, int pos, int pass)
      implements Command {}

  /** Stolen Gs for the thief; the last one is run. */
  public record Stolen(long at, G[] gs, int[] order, int pos, int pass) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      forEach(f, null, gs);
    }
  }

  /** Work found by Sched for findRunnable: {@code g} to run (may be null), {@code batch} to queue. */
  public record Work(long at, G g, G[] batch) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      forEach(f, g, batch);
    }
  }

  /** What a non-blocking netpoll found for findRunnable. */
  public record Polled(long at, G[] list) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      forEach(f, null, list);
    }
  }

  /** What checkTimers found: goroutines whose sleep ended while an M was blocked in netpoll. */
  public record TimersRun(long at, G[] list) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      forEach(f, null, list);
    }
  }

  /** The holding M lets go of this P (stoplockedm, mexit); handoffp follows. */
  public record Drop(long at, int mid) implements Command {}

  /** procresize destroys this P (pp.destroy); its timers go to P {@code timersTo}. */
  public record Destroy(long at, int timersTo) implements Command {}

  /**
   * The stop-the-world of a GOMAXPROCS call took this P if it was in a syscall (CAS _Psyscall ->
   * _Pgcstop), and procresize makes it idle again: the M, back from the kernel, finds it gone.
   */
  public record GcStop(long at) implements Command {}

  /**
   * The GC's stopTheWorldWithSema reaches this P: in a syscall it is taken at once (CAS _Psyscall
   * -> _Pgcstop, and its M, back from the kernel, finds it gone); held by an M, preemptall asks
   * that M to stop its goroutine, and the P stops at the M's next schedule (gcstopm).
   */
  public record StwStop(long at) implements Command {}

  /** startTheWorldWithSema's procresize: the stopped P is _Pidle again. */
  public record StwRestart(long at) implements Command {}

  /** procresize brings a destroyed P back (pp.init): idle, empty. */
  public record Init(long at) implements Command {}

  private static void forEach(Consumer<G> f, G g, G[] batch) {
    if (g != null) {
      f.accept(g);
    }
    if (batch != null) {
      for (G b : batch) {
        f.accept(b);
      }
    }
  }

  private final int id;
  private final Atomics atomics;
  private final ArrayDeque<G> runq = new ArrayDeque<>();
  private G runnext;
  private int status;
  private ActorRef<M.Command> holder;
  private int holderId = -1;
  private boolean holderSpinning;
  private long schedtick;
  private long syscalltick;
  private String syscallName = "";
  private int syscallMid = -1;
  /** Destroyed by procresize while an M held it: the M lets go at its next schedule. */
  private boolean dying;
  /** When the last Execute sent reaches its M (a dying P's preemption must come after it). */
  private long executeAt;

  public static Behavior<Command> create(RunContext run, int id) {
    return run.wrap("P", id, Behaviors.setup(ctx -> new P(ctx, run, id)));
  }

  private P(ActorContext<Command> ctx, RunContext run, int id) {
    super(ctx, run);
    this.id = id;
    this.atomics = run.atomics;
    this.status = _Pidle;
    // No publish() here: a constructor may run on another thread while the run goes on, and the
    // lock-free words already start as an idle P's.
  }

  @Override
  Handlers<Command> handlers() {
    return Handlers.<Command>create()
        .on(Acquire.class, this::onAcquire)
        .on(Schedule.class, this::onSchedule)
        .on(RunqPut.class, this::onRunqPut)
        .on(EnterSyscall.class, this::onEnterSyscall)
        .on(ExitSyscall.class, this::onExitSyscall)
        .on(OnCpu.class, o -> exitSyscall(o.exit()))
        .on(Retake.class, this::onRetake)
        .on(Preempt.class, this::onPreempt)
        .on(StealRequest.class, this::onStealRequest)
        .on(Stolen.class, this::onStolen)
        .on(Work.class, this::onWork)
        .on(Polled.class, this::onPolled)
        .on(TimersRun.class, this::onTimersRun)
        .on(Drop.class, this::onDrop)
        .on(Destroy.class, this::onDestroy)
        .on(Init.class, this::onInit)
        .on(GcStop.class, this::onGcStop)
        .on(StwStop.class, this::onStwStop)
        .on(StwRestart.class, this::onStwRestart);
  }

  private Behavior<Command> onAcquire(Acquire a) {
    if (status == _Pdead) {
      acquiredDead(a);
      return this;
    }
    if (status != _Pidle || holder != null) {
      violation("P" + id + " acquired by M" + a.mid() + " while held by M" + holderId + " (status " + status + ")");
      return this;
    }
    if (atomics.gcwaiting) {
      acquiredWhileStopping(a);
      return this;
    }
    status = _Prunning;
    holder = a.m();
    holderId = a.mid();
    holderSpinning = a.spinning();
    if (a.batch() != null) {
      for (G g : a.batch()) {
        runqput(g, false);
      }
    }
    publish();
    if (a.g() == null) {
      schedule();
    } else if (a.resume()) {
      syscalltick++;
      publish();
      send(holder, new M.Resume(now + run.cost.exitsyscallfast(), getContext().getSelf(), id));
    } else {
      execute(a.g(), false);
    }
    return this;
  }

  private Behavior<Command> onSchedule(Schedule s) {
    if (s.mid() != holderId || status != _Prunning) {
      violation("M" + s.mid() + " scheduled on P" + id + " held by M" + holderId);
      return this;
    }
    schedule();
    return this;
  }

  private Behavior<Command> onRunqPut(RunqPut r) {
    if (status == _Pdead) {
      // Readied onto a P procresize destroyed: the G goes global, as the rest of its queue did.
      send(run.sched, new Sched.PDestroyed(now, id, new G[] {r.g()}, null, -1, false));
      return this;
    }
    runqput(r.g(), r.next());
    publish();
    return this;
  }

  private Behavior<Command> onEnterSyscall(EnterSyscall e) {
    if (e.mid() != holderId || status != _Prunning) {
      violation("M" + e.mid() + " entered a syscall on P" + id + " held by M" + holderId);
      return this;
    }
    syscallName = e.name();
    syscallMid = e.mid();
    holder = null;
    holderId = -1;
    if (dying) {
      // The M took its G into the kernel from a P procresize destroyed: it returns to no P.
      retire(null, -1, false);
      return this;
    }
    if (atomics.gcwaiting) {
      // entersyscall_gcwait: the P goes to the stop-the-world; the M goes on into the kernel.
      syscalltick++;
      status = _Pgcstop;
      publish();
      send(run.sched, new Sched.PStopped(now, id, null, -1, false));
      return this;
    }
    if (e.block()) {
      // entersyscallblock: hand the P off now instead of waiting for sysmon.
      syscalltick++;
      status = _Pidle;
      publish();
      run.stats.count(Counter.ENTERSYSCALLBLOCK);
      send(run.sched, new Sched.Handoff(now, id));
      return this;
    }
    status = _Psyscall;
    atomics.pSyscallStart[id] = now;
    publish();
    if (atomics.sysmonwait) {
      send(run.sysmon, new Sysmon.Wake(now));
    }
    return this;
  }

  private Behavior<Command> onExitSyscall(ExitSyscall e) {
    // The woken thread runs exitsyscall only once it has a CPU; sysmon may retake meanwhile.
    return waitsForCpu(Cpus.m(e.mid()), at -> new OnCpu(at, e)) ? this : exitSyscall(e);
  }

  private Behavior<Command> exitSyscall(ExitSyscall e) {
    if (run.trace != null) {
      run.trace.m(e.mid(), now, TraceRecorder.Kind.NONE, null, -1); // back from the kernel
    }
    if (status == _Psyscall) {
      // exitsyscallfast: the CAS _Psyscall -> _Pidle won, wirep.
      status = _Prunning;
      holder = e.m();
      holderId = e.mid();
      holderSpinning = false;
      syscalltick++;
      publish();
      run.stats.count(Counter.EXITSYSCALL_FAST);
      send(holder, new M.Resume(now + run.cost.exitsyscallfast(), getContext().getSelf(), id));
    } else {
      // Retaken (or never in _Psyscall: entersyscallblock); try an idle P, else exitsyscall0.
      send(run.sched, new Sched.ExitSyscallSlow(now, e.m(), e.mid(), e.g()));
    }
    return this;
  }

  private Behavior<Command> onRetake(Retake r) {
    boolean won = status == _Psyscall && syscalltick == r.syscalltick();
    if (won) {
      status = _Pidle;
      syscalltick++;
      publish();
      run.stats.count(Counter.RETAKES);
      run.stats.retakenIn(syscallName);
      if (run.trace != null) {
        run.trace.pInstant(id, now, "retake", "sysmon took P" + id + " from a syscall: " + syscallName);
      }
      send(run.sched, new Sched.Handoff(now, id));
    }
    send(run.sysmon, new Sysmon.RetakeResult(now, won ? 1 : 0));
    return this;
  }

  private Behavior<Command> onPreempt(Preempt p) {
    if (status == _Prunning && holder != null && schedtick == p.schedtick()) {
      send(holder, new M.Preempt(now, schedtick));
    }
    return this;
  }

  private Behavior<Command> onStealRequest(StealRequest s) {
    boolean runnextOnly = runq.isEmpty();
    G[] grabbed = runqgrab(s.runnext());
    ActorRef<Command> thief = run.allp.get(s.thief());
    long at = now + run.cost.steal();
    if (grabbed != null && runnextOnly && status == _Prunning) {
      // runqgrab sleeps 3us before taking runnext from a running P, which is about to run it.
      at += 3_000;
    }
    if (grabbed == null) {
      send(thief, new Stolen(at, null, s.order(), s.pos(), s.pass()));
    } else {
      run.stats.count(Counter.STEALS);
      send(thief, new Stolen(at, grabbed, s.order(), s.pos(), s.pass()));
    }
    return this;
  }

  private Behavior<Command> onStolen(Stolen s) {
    if (s.gs() == null) {
      steal(s.order(), s.pos() + 1, s.pass());
      return this;
    }
    G[] gs = s.gs();
    for (int i = 0; i < gs.length - 1; i++) {
      runqput(gs[i], false);
    }
    publish();
    execute(gs[gs.length - 1], false);
    return this;
  }

  private Behavior<Command> onWork(Work w) {
    if (w.batch() != null) {
      for (G g : w.batch()) {
        runqput(g, false);
      }
      publish();
    }
    if (w.g() != null) {
      execute(w.g(), false);
    } else if (phase == Phase.FAIR) {
      findLocal();
    } else {
      netpoll();
    }
    return this;
  }

  private Behavior<Command> onPolled(Polled p) {
    G[] list = p.list();
    if (list.length == 0) {
      spinOrRelease();
      return this;
    }
    // injectglist with a P: one G per idle P goes global (Sched starts Ms for them), the rest
    // stay here; the first runs now.
    int n = Math.min(atomics.npidle, list.length - 1);
    if (n > 0) {
      send(run.sched, new Sched.Inject(now, java.util.Arrays.copyOfRange(list, 1, 1 + n)));
    }
    for (int i = 1 + n; i < list.length; i++) {
      list[i].runnableSince = now;
      runqput(list[i], false);
    }
    publish();
    execute(list[0], false);
    return this;
  }

  private Behavior<Command> onTimersRun(TimersRun t) {
    // The timer func (goroutineReady) readies each G into runnext and calls wakep, as ready()
    // does (after the first wakep an M spins and the others return at once).
    for (G g : t.list()) {
      runqput(g, true);
    }
    publish();
    if (t.list().length > 0 && atomics.wakepWorthTrying(run.goMinor)) {
      send(run.sched, new Sched.WakeP(now));
    }
    findLocal();
    return this;
  }

  private Behavior<Command> onDrop(Drop d) {
    if (d.mid() != holderId) {
      violation("M" + d.mid() + " dropped P" + id + " held by M" + holderId);
      return this;
    }
    if (dying) {
      holder = null;
      holderId = -1;
      retire(null, -1, false);
      return this;
    }
    status = _Pidle;
    holder = null;
    holderId = -1;
    holderSpinning = false;
    publish();
    send(run.sched, new Sched.Handoff(now, id));
    return this;
  }

  // procresize: pp.destroy and pp.init.

  private Behavior<Command> onDestroy(Destroy d) {
    if (status == _Pdead) {
      return this;
    }
    send(run.netpoller, new Netpoller.MoveTimers(now, id, d.timersTo()));
    if (holder == null) {
      // Idle, or in a syscall (its M will find it gone: exitsyscall's slow path).
      retire(null, -1, false);
      return this;
    }
    // Held: the world stop preempts its G (to the global queue); the M lets go when it schedules.
    dying = true;
    send(holder, new M.Preempt(Math.max(now, executeAt), schedtick));
    return this;
  }

  private Behavior<Command> onGcStop(GcStop g) {
    if (status != _Psyscall) {
      return this; // its M came back first
    }
    status = _Pidle;
    syscalltick++;
    publish();
    // procresize: onto the idle list, or to an M if it has work (handoffp decides which).
    send(run.sched, new Sched.Handoff(now, id));
    return this;
  }

  private Behavior<Command> onStwStop(StwStop s) {
    if (status == _Psyscall) {
      status = _Pgcstop;
      syscalltick++; // a retake in flight for this syscall loses
      publish();
      if (run.trace != null) {
        run.trace.pInstant(id, now, "stopTheWorld", "took P" + id + " from a syscall: " + syscallName);
      }
      send(run.sched, new Sched.PStopped(now, id, null, -1, false));
    } else if (status == _Prunning && holder != null) {
      // preemptall: the signal reaches the M after its last Execute, and a little later.
      send(holder, new M.StwPreempt(Math.max(now, executeAt) + run.cost.gcPreempt()));
    }
    // Idle but on no list (an Acquire or a Handoff on its way): it stops where that arrives.
    return this;
  }

  private Behavior<Command> onStwRestart(StwRestart r) {
    if (status == _Pgcstop) {
      status = _Pidle;
      publish();
    }
    return this;
  }

  /** An M acquires this P while the world is stopping: the P stops and so does the M. */
  private void acquiredWhileStopping(Acquire a) {
    if (a.batch() != null) {
      for (G g : a.batch()) {
        runqput(g, false);
      }
    }
    boolean mStops = true;
    if (a.g() != null) {
      if (a.resume()) {
        // exitsyscallfast_pidle lost to the stop-the-world: exitsyscall0 (G global, M stops).
        send(run.sched, new Sched.ExitSyscallSlow(now, a.m(), a.mid(), a.g()));
        mStops = false;
      } else {
        keepForAfterStop(a.g());
      }
    }
    status = _Pgcstop;
    publish();
    send(run.sched, new Sched.PStopped(now, id, mStops ? a.m() : null, a.mid(), mStops && a.spinning()));
  }

  /** The world is stopping before {@code g} runs: it waits for after (a worker goes back to its pool). */
  private void keepForAfterStop(G g) {
    if (g.gcWorker) {
      run.gc.unrun(g);
    } else {
      runqput(g, true);
    }
  }

  /** gcstopm: the holding M lets go of the P, which stops; the M stops (stopm). */
  private void gcstopm() {
    ActorRef<M.Command> m = holder;
    int mid = holderId;
    boolean spinning = holderSpinning;
    status = _Pgcstop;
    holder = null;
    holderId = -1;
    holderSpinning = false;
    publish();
    if (run.trace != null) {
      run.trace.m(mid, now, TraceRecorder.Kind.NONE, null, -1);
    }
    send(run.sched, new Sched.PStopped(now, id, m, mid, spinning));
  }

  private Behavior<Command> onInit(Init i) {
    status = _Pidle;
    dying = false;
    publish();
    return this;
  }

  /**
   * The end of pp.destroy: the local queue (and {@code g}, if the M was about to run it) goes to the
   * global queue, the P is _Pdead, and the M that held it, if any, stops.
   */
  private void retire(ActorRef<M.Command> m, int mid, boolean spinning) {
    java.util.List<G> gs = new java.util.ArrayList<>();
    for (G g; (g = runqget()) != null; ) {
      gs.add(g);
    }
    status = _Pdead;
    dying = false;
    holder = null;
    holderId = -1;
    holderSpinning = false;
    syscalltick++; // a Retake in flight for the last syscall loses
    publish();
    send(run.sched, new Sched.PDestroyed(now, id, gs.toArray(G[]::new), m, mid, spinning));
  }

  /** An Acquire that was on its way when procresize destroyed this P. */
  private void acquiredDead(Acquire a) {
    if (a.resume()) {
      // An M back from a syscall with its G: it looks for another P (exitsyscall's slow path).
      send(run.sched, new Sched.ExitSyscallSlow(now, a.m(), a.mid(), a.g()));
      return;
    }
    java.util.List<G> gs = new java.util.ArrayList<>();
    if (a.g() != null) {
      gs.add(a.g());
    }
    if (a.batch() != null) {
      gs.addAll(java.util.List.of(a.batch()));
    }
    send(run.sched, new Sched.PDestroyed(now, id, gs.toArray(G[]::new), a.m(), a.mid(), a.spinning()));
  }

  /** A dying P's M came back to schedule (or was about to run or give up): it lets go. */
  private boolean retiring(G g) {
    if (!dying) {
      return false;
    }
    if (g != null) {
      runqput(g, true);
    }
    retire(holder, holderId, holderSpinning);
    return true;
  }

  // schedule() and findRunnable() on behalf of the holding M.

  /** Where findRunnable is waiting for an answer. */
  private enum Phase {
    FAIR,
    TIMERS,
    GLOBAL,
    NETPOLL,
    STEAL
  }

  private Phase phase;

  private void schedule() {
    if (retiring(null)) {
      return;
    }
    if (atomics.gcwaiting) {
      gcstopm();
      return;
    }
    if (run.gc != null && run.gc.blackenEnabled) {
      // findRunnable: a dedicated or fractional mark worker first (findRunnableGCWorker).
      G w = run.gc.findRunnableGCWorker(id, now);
      if (w != null) {
        execute(w, false);
        return;
      }
    }
    // Every 61st tick look at the global queue first, so it cannot starve.
    if (schedtick % 61 == 0 && atomics.runqsize > 0) {
      phase = Phase.FAIR;
      send(run.sched, new Sched.GlobrunqGet(now, id, 1));
      return;
    }
    findLocal();
  }

  private void findLocal() {
    // checkTimers: run the timers that are due (only those an M asleep in netpoll holds back).
    if (atomics.timersDue > 0) {
      phase = Phase.TIMERS;
      send(run.netpoller, new Netpoller.RunTimers(now, id));
      return;
    }
    boolean inherit = runnext != null;
    G g = runqget();
    if (g != null) {
      publish();
      execute(g, inherit);
      return;
    }
    // findRunnable's slow part: the global queue, the netpoller, stealing, then give up.
    if (atomics.runqsize != 0) {
      phase = Phase.GLOBAL;
      send(run.sched, new Sched.GlobrunqGet(now + run.cost.schedule(), id, 0));
      return;
    }
    netpoll();
  }

  private void netpoll() {
    if (atomics.netpollInited && atomics.netpollWaiters > 0 && atomics.lastpoll != Atomics.POLLING) {
      run.stats.count(Counter.NETPOLL_NONBLOCKING);
      // A poll that finds nothing changes nothing in the netpoller: no need to ask it.
      if (atomics.netpollReady > 0) {
        phase = Phase.NETPOLL;
        send(run.netpoller, new Netpoller.Poll(now + run.cost.schedule(), id));
        return;
      }
    }
    spinOrRelease();
  }

  /** Spin (steal) only while fewer than half the busy Ps have a spinning M. */
  private void spinOrRelease() {
    int procs = atomics.gomaxprocs();
    if (holderSpinning || 2 * atomics.nmspinning < procs - atomics.npidle) {
      if (!holderSpinning) {
        holderSpinning = true;
        atomics.becomeSpinning();
        run.mview(holderId).spinning = true;
        traceSpinning(holderId);
      }
      phase = Phase.STEAL;
      steal(stealOrder(), 0, 0);
      return;
    }
    // Go 1.21+: a wakep found no idle P and asked for a spinning M; become it and look again.
    if (run.goMinor >= 21 && atomics.needspinning) {
      holderSpinning = true;
      atomics.becomeSpinning();
      run.mview(holderId).spinning = true;
      traceSpinning(holderId);
      phase = Phase.STEAL;
      steal(stealOrder(), 0, 0);
      return;
    }
    release(now);
  }

  /** releasep: the M lets go of this P and asks Sched to park it (pidleput). */
  private void release(long t) {
    if (retiring(null)) {
      return;
    }
    if (atomics.gcwaiting) {
      gcstopm();
      return;
    }
    if (run.gc != null && run.gc.blackenEnabled) {
      // Nothing to run: idle-time marking rather than giving up the P.
      G w = run.gc.idleWorker();
      if (w != null) {
        execute(w, false);
        return;
      }
    }
    ActorRef<M.Command> m = holder;
    int mid = holderId;
    boolean spinning = holderSpinning;
    status = _Pidle;
    holder = null;
    holderId = -1;
    holderSpinning = false;
    publish();
    if (run.trace != null) {
      run.trace.m(mid, now, TraceRecorder.Kind.NONE, null, -1); // no longer spinning
    }
    send(run.sched, new Sched.ReleaseP(t, id, m, mid, spinning));
  }

  private void traceSpinning(int mid) {
    if (run.trace != null) {
      run.trace.m(mid, now, TraceRecorder.Kind.SPIN, "spinning", -1);
    }
  }

  /** A random order of the Ps to steal from (stealOrder with fastrand): random start and stride. */
  private int[] stealOrder() {
    int n = atomics.gomaxprocs();
    int[] order = new int[n];
    int start = run.rng.nextInt(n);
    int stride = coprimeStride(n);
    for (int i = 0; i < n; i++) {
      order[i] = (int) ((start + (long) i * stride) % n);
    }
    return order;
  }

  private int coprimeStride(int n) {
    if (n <= 2) {
      return 1;
    }
    int inc = 1 + run.rng.nextInt(n - 1);
    while (gcd(inc, n) != 1) {
      inc = inc % (n - 1) + 1;
    }
    return inc;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private void execute(G g, boolean inheritTime) {
    if (retiring(g)) {
      return;
    }
    if (atomics.gcwaiting) {
      keepForAfterStop(g);
      gcstopm();
      return;
    }
    if (holderSpinning) {
      // resetspinning: the last spinning M to find work wakes another.
      holderSpinning = false;
      send(run.sched, new Sched.ResetSpinning(now));
    }
    if (!inheritTime) {
      schedtick++;
    }
    if (g.lockedm >= 0 && g.lockedm != holderId) {
      // startlockedm: give this P to the G's own M and stop ours.
      ActorRef<M.Command> old = holder;
      int oldId = holderId;
      holder = g.lockedmRef;
      holderId = g.lockedm;
      publish();
      executeAt = now + run.cost.lockedmWake();
      send(holder, new M.Execute(executeAt, g, getContext().getSelf(), id, schedtick));
      send(run.sched, new Sched.Stopm(now, old, oldId));
      return;
    }
    publish();
    long at = now + run.cost.schedule();
    executeAt = at;
    send(holder, new M.Execute(at, g, getContext().getSelf(), id, schedtick));
  }

  /**
   * stealWork: look at the other Ps in {@code order} (two passes: run queues, then runnext) and
   * ask the first that has something. Emptiness and idleness are lock-free reads, as in proc.go;
   * the grab itself is the victim's.
   */
  private void steal(int[] order, int pos, int pass) {
    for (; pass < 2; pass++, pos = 0) {
      for (; pos < order.length; pos++) {
        int v = order[pos];
        if (v == id || atomics.pIdle[v]) {
          continue;
        }
        boolean has = pass == 0 ? atomics.pRunqLen[v] > 0 : atomics.pRunnext[v] || atomics.pRunqLen[v] > 0;
        if (has) {
          long cost = run.cost.steal() * (pos + 1);
          send(run.allp.get(v), new StealRequest(now + cost, id, pass == 1, order, pos, pass));
          return;
        }
      }
    }
    release(now + run.cost.steal() * order.length);
  }

  private G[] runqgrab(boolean stealRunnext) {
    int n = runq.size();
    n = n - n / 2;
    if (n == 0) {
      if (stealRunnext && runnext != null) {
        G g = runnext;
        runnext = null;
        g.take(G.Where.LOCAL_RUNQ, run.stats);
        publish();
        return new G[] {g};
      }
      return null;
    }
    G[] out = new G[n];
    for (int i = 0; i < n; i++) {
      out[i] = runq.pollFirst();
      out[i].take(G.Where.LOCAL_RUNQ, run.stats);
    }
    publish();
    return out;
  }

  private G runqget() {
    G g = runnext;
    if (g != null) {
      runnext = null;
    } else {
      g = runq.pollFirst();
    }
    if (g != null) {
      g.take(G.Where.LOCAL_RUNQ, run.stats);
    }
    return g;
  }

  private void runqput(G g, boolean next) {
    g.status = G.Status._Grunnable;
    g.place(G.Where.LOCAL_RUNQ, run.stats);
    if (next) {
      G old = runnext;
      runnext = g;
      if (old == null) {
        return;
      }
      g = old;
    }
    if (runq.size() < RUNQ_SIZE) {
      runq.addLast(g);
      return;
    }
    // runqputslow: move half of the queue and g to the global queue.
    G[] batch = new G[RUNQ_SIZE / 2 + 1];
    for (int i = 0; i < RUNQ_SIZE / 2; i++) {
      batch[i] = runq.pollFirst();
      batch[i].take(G.Where.LOCAL_RUNQ, run.stats);
    }
    g.take(G.Where.LOCAL_RUNQ, run.stats);
    batch[RUNQ_SIZE / 2] = g;
    send(run.sched, new Sched.GlobrunqPut(now, batch));
  }

  private void publish() {
    if (run.trace != null) {
      run.trace.p(id, now, status, holderId, syscallName);
    }
    atomics.pStatus[id] = status;
    atomics.pSchedtick[id] = schedtick;
    atomics.pSyscalltick[id] = syscalltick;
    atomics.pRunqLen[id] = runq.size();
    atomics.pRunnext[id] = runnext != null;
    atomics.pM[id] = holderId;
    atomics.pSyscallM[id] = status == _Psyscall ? syscallMid : -1;
  }
}
