package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The global {@code sched} struct: the global run queue, the idle P list, the idle M list and
 * the thread count. Everything proc.go does under sched.lock happens here, one message at a time:
 * handoffp, startm/newm, stopm, wakep, pidleget/pidleput, the global-queue half of findRunnable,
 * the slow path of exitsyscall and what an M does after a blocking netpoll.
 */
public final class Sched extends SimActor<Sched.Command> {
  /** Idle Ms to hand out in preference to new threads, last parked first (mget/mput). */
  /** {@code parkedAt}: when the M's futex sleep begins (it is told Stopped then). */
  private record Idle(ActorRef<M.Command> ref, int id, long parkedAt) {}

  public sealed interface Command extends Msg {}

  /** handoffp(pp): the P is already _Pidle and held by nobody. */
  public record Handoff(long at, int p) implements Command {}

  /** wakep(): start a spinning M if there is an idle P and no spinning M. */
  public record WakeP(long at) implements Command {}

  /** resetspinning(): a spinning M found work. */
  public record ResetSpinning(long at) implements Command {}

  public record StartTemplateThread(long at) implements Command {}

  /** globrunqput / globrunqputbatch. */
  public record GlobrunqPut(long at, G[] gs) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      for (G g : gs) {
        f.accept(g);
      }
    }
  }

  /** globrunqget for a P's findRunnable ({@code max} 1: the 1-in-61 fairness check). */
  public record GlobrunqGet(long at, int p, int max) implements Command {}

  /** injectglist from a P that polled the network: these go global, with an M per idle P. */
  public record Inject(long at, G[] gs) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      for (G g : gs) {
        f.accept(g);
      }
    }
  }

  /** The result of sysmon's non-blocking netpoll. */
  public record Polled(long at, G[] list) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      for (G g : list) {
        f.accept(g);
      }
    }
  }

  /** findRunnable found nothing: the P is released (and its M blocks in netpoll or stops). */
  public record ReleaseP(long at, int p, ActorRef<M.Command> m, int mid, boolean spinning)
      implements Command {}

  /** stopm() for an M that has no P (startlockedm). */
  public record Stopm(long at, ActorRef<M.Command> m, int mid) implements Command {}

  /** exitsyscallfast failed on the old P: exitsyscallfast_pidle, else exitsyscall0. */
  public record ExitSyscallSlow(long at, ActorRef<M.Command> m, int mid, G g) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      f.accept(g);
    }
  }

  /** An M's blocking netpoll returned with {@code list}. */
  public record NetpollReturned(
      long at, ActorRef<M.Command> m, int mid, G[] list, boolean wasSpinning) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      for (G g : list) {
        f.accept(g);
      }
    }
  }

  /** goready from a timer with no M in netpoll to run it. */
  public record Ready(long at, G g) implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      f.accept(g);
    }
  }

  /** mexit: a thread whose locked goroutine exited is destroyed. */
  public record MExit(long at, int mid) implements Command {}

  /** sysmon: poll the network if nobody did for 10ms. */
  public record SysmonNetpoll(long at) implements Command {}

  /** debug.SetMaxThreads(n) (setMaxThreads in proc.go): a new limit, checked at once. */
  public record SetMaxThreads(long at, int threads) implements Command {}

  /**
   * runtime.GOMAXPROCS(n) once the world is stopped: procresize(n), then startTheWorld. The
   * stop-the-world itself (no P or M runs while it lasts) is the caller's.
   */
  public record Procresize(long at, int procs) implements Command {}

  /**
   * P {@code p} was destroyed (p.destroy in procresize): its runnable goroutines go to the head of
   * the global queue, and the M that held it, if any, stops.
   */
  public record PDestroyed(long at, int p, G[] gs, ActorRef<M.Command> m, int mid, boolean spinning)
      implements Command {
    @Override
    public void forEachG(Consumer<G> f) {
      for (G g : gs) {
        f.accept(g);
      }
    }
  }

  /**
   * stopTheWorldWithSema for the GC, asked by M {@code mid} holding P {@code pid} (gcStart's
   * allocating goroutine, or the mark worker that calls gcMarkDone).
   */
  public record StopTheWorld(long at, GcController.Stw why, ActorRef<M.Command> m, int mid, int pid)
      implements Command {}

  /**
   * P {@code p} stopped for the stop-the-world (gcstopm, entersyscall_gcwait, or the CAS
   * _Psyscall -> _Pgcstop); {@code m}, if not null, is the M that held it and now stops.
   */
  public record PStopped(long at, int p, ActorRef<M.Command> m, int mid, boolean spinning) implements Command {}

  /** The stopped world's work is done: startTheWorldWithSema. */
  public record StartTheWorld(long at) implements Command {}

  static final long NETPOLL_STALE_NS = 10_000_000L;

  private final Atomics atomics;
  private final ArrayDeque<G> runq = new ArrayDeque<>();
  private final ArrayDeque<Integer> pidle = new ArrayDeque<>();
  private final ArrayDeque<Idle> midle = new ArrayDeque<>();
  private final int gomaxprocs;
  /** sched.maxmcount: debug.SetMaxThreads changes it. */
  private int maxmcount;
  /** Extra Ms (cgo) that checkmcount leaves out of the limit: from Go 1.21 (go.dev/issue/60004). */
  private final int extraMsExempt;
  private int mnext;
  private int nmfreed;

  public static Behavior<Command> create(RunContext run, int firstFreeMId) {
    return run.wrap("Sched", Behaviors.setup(ctx -> new Sched(ctx, run, firstFreeMId)));
  }

  private Sched(ActorContext<Command> ctx, RunContext run, int firstFreeMId) {
    super(ctx, run);
    this.atomics = run.atomics;
    this.gomaxprocs = run.runtime.gomaxprocs();
    this.maxmcount = run.runtime.maxThreads();
    boolean cgo = run.runtime.cgo() || run.scenario.usesCgo();
    this.extraMsExempt = cgo && run.goMinor >= 21 ? 1 : 0;
    this.mnext = firstFreeMId;
    // procresize: every P but P0 starts idle, pidleget hands out P1 first.
    for (int i = gomaxprocs - 1; i >= 1; i--) {
      pidle.push(i);
    }
  }

  /** The lock-free words at start-up; set by the run before any actor runs. */
  static void initAtomics(RunContext run, int firstFreeMId) {
    run.atomics.npidle = run.runtime.gomaxprocs() - 1;
    for (int i = 1; i < run.runtime.gomaxprocs(); i++) {
      run.atomics.pIdle[i] = true;
    }
    run.atomics.mcount = firstFreeMId;
    run.atomics.lastpoll = 0;
    run.stats.threads(0, firstFreeMId);
    run.stats.mAlive(firstFreeMId);
  }

  @Override
  Handlers<Command> handlers() {
    return Handlers.<Command>create()
        .on(Handoff.class, this::onHandoff)
        .on(WakeP.class, this::onWakeP)
        .on(ResetSpinning.class, this::onResetSpinning)
        .on(StartTemplateThread.class, this::onStartTemplateThread)
        .on(GlobrunqPut.class, this::onGlobrunqPut)
        .on(GlobrunqGet.class, this::onGlobrunqGet)
        .on(Inject.class, this::onInject)
        .on(Polled.class, this::onPolled)
        .on(ReleaseP.class, this::onReleaseP)
        .on(Stopm.class, this::onStopm)
        .on(ExitSyscallSlow.class, this::onExitSyscallSlow)
        .on(NetpollReturned.class, this::onNetpollReturned)
        .on(Ready.class, this::onReady)
        .on(MExit.class, this::onMExit)
        .on(SysmonNetpoll.class, this::onSysmonNetpoll)
        .on(SetMaxThreads.class, this::onSetMaxThreads)
        .on(Procresize.class, this::onProcresize)
        .on(PDestroyed.class, this::onPDestroyed)
        .on(StopTheWorld.class, this::onStopTheWorld)
        .on(PStopped.class, this::onPStopped)
        .on(StartTheWorld.class, this::onStartTheWorld);
  }

  // handoffp: must start an M in any situation where findRunnable would find work for pp.
  private Behavior<Command> onHandoff(Handoff h) {
    run.stats.count(Counter.HANDOFFS);
    int pp = h.p();
    if (pp >= atomics.gomaxprocs()) {
      return this; // sent before procresize destroyed the P: there is nothing left to hand off
    }
    if (run.trace != null) {
      run.trace.pInstant(pp, now, "handoffp", null);
    }
    if (!atomics.runqempty(pp) || atomics.runqsize != 0) {
      startm(pp, false);
      return this;
    }
    // GC work: start an M for it straight away (it runs a mark worker).
    if (run.gc != null && run.gc.blackenEnabled && run.gc.markWorkAvailable()) {
      startm(pp, false);
      return this;
    }
    // No local work: start a spinning M only if nobody spins and no P is idle.
    if (atomics.nmspinning + atomics.npidle == 0) {
      atomics.nmspinning = 1;
      atomics.needspinning = false;
      startm(pp, true);
      return this;
    }
    if (atomics.gcwaiting) {
      stwStopped(pp); // the P stops for the stop-the-world instead of going idle
      return this;
    }
    // The last running P: someone must poll the network.
    if (atomics.npidle == atomics.gomaxprocs() - 1 && atomics.lastpoll != Atomics.POLLING) {
      startm(pp, false);
      return this;
    }
    long when = atomics.pTimerNext[pp]; // nobarrierWakeTime
    pidleput(pp);
    if (when != Long.MAX_VALUE) {
      // The P goes idle with timers on it: make sure some M will wait for them.
      send(run.netpoller, new Netpoller.WakeNetPoller(now, when));
    }
    return this;
  }

  private Behavior<Command> onWakeP(WakeP w) {
    wakep();
    return this;
  }

  private Behavior<Command> onResetSpinning(ResetSpinning r) {
    decSpinning();
    wakep();
    return this;
  }

  private Behavior<Command> onStartTemplateThread(StartTemplateThread s) {
    if (!atomics.haveTemplateThread) {
      atomics.haveTemplateThread = true;
      run.stats.count(Counter.TEMPLATE_THREADS);
      newm(-1, false, true);
    }
    return this;
  }

  private Behavior<Command> onGlobrunqPut(GlobrunqPut p) {
    for (G g : p.gs()) {
      globrunqput(g);
    }
    return this;
  }

  private Behavior<Command> onGlobrunqGet(GlobrunqGet g) {
    G[] got = globrunqget(g.max());
    G first = got == null ? null : got[0];
    G[] rest = got == null || got.length == 1 ? null : java.util.Arrays.copyOfRange(got, 1, got.length);
    send(run.allp.get(g.p()), new P.Work(now, first, rest));
    return this;
  }

  private Behavior<Command> onInject(Inject i) {
    injectglist(i.gs());
    return this;
  }

  private Behavior<Command> onPolled(Polled p) {
    injectglist(p.list());
    return this;
  }

  private Behavior<Command> onReleaseP(ReleaseP r) {
    release(r.p(), r.m(), r.mid(), r.spinning());
    return this;
  }

  /**
   * The tail of findRunnable, after the P has let go: recheck the global queue under the lock,
   * pidleput, then block in netpoll or stopm.
   */
  private void release(int p, ActorRef<M.Command> m, int mid, boolean wasSpinning) {
    if (atomics.gcwaiting && p < atomics.gomaxprocs()) {
      // findRunnable rechecks gcwaiting before it lets go of the P: gcstopm.
      stwStopped(p);
      if (wasSpinning) {
        decSpinning();
      }
      stopm(m, mid);
      return;
    }
    if (p >= atomics.gomaxprocs()) {
      // The P was destroyed by procresize while this was on its way: no pidleput, the M stops.
      if (wasSpinning) {
        decSpinning();
      }
      stopm(m, mid);
      return;
    }
    if (atomics.runqsize != 0) {
      G[] got = globrunqget(0);
      G[] rest = java.util.Arrays.copyOfRange(got, 1, got.length);
      send(run.allp.get(p), new P.Acquire(now, m, mid, wasSpinning, got[0], false, rest));
      return;
    }
    pidleput(p);
    if (wasSpinning) {
      decSpinning();
      // checkRunqsNoP: work may have been queued while we were dropping spinning.
      for (int i = 0, procs = atomics.gomaxprocs(); i < procs; i++) {
        if (!atomics.pIdle[i] && !atomics.runqempty(i)) {
          int pp = pidleget();
          if (pp >= 0) {
            atomics.becomeSpinning();
            run.mview(mid).spinning = true;
            if (run.trace != null) {
              run.trace.m(mid, now, TraceRecorder.Kind.SPIN, "spinning", -1);
            }
            send(run.allp.get(pp), new P.Acquire(now, m, mid, true, null, false, null));
            return;
          }
          break;
        }
      }
    }
    run.mview(mid).spinning = false;
    if (atomics.netpollInited
        && (atomics.netpollWaiters > 0 || atomics.timers > 0)
        && atomics.lastpoll != Atomics.POLLING) {
      atomics.lastpoll = Atomics.POLLING;
      run.stats.count(Counter.NETPOLL_BLOCKING);
      run.mview(mid).blocked = true;
      if (run.trace != null) {
        run.trace.m(mid, now, TraceRecorder.Kind.NETPOLL, "netpoll (blocking)", -1);
      }
      send(run.netpoller, new Netpoller.BlockingPoll(now, m, mid, wasSpinning));
      return;
    }
    stopm(m, mid);
  }

  private Behavior<Command> onStopm(Stopm s) {
    stopm(s.m(), s.mid());
    return this;
  }

  private Behavior<Command> onExitSyscallSlow(ExitSyscallSlow e) {
    int pp = pidleget();
    if (pp >= 0) {
      // exitsyscallfast_pidle
      if (atomics.sysmonwait) {
        send(run.sysmon, new Sysmon.Wake(now));
      }
      run.stats.count(Counter.EXITSYSCALL_FAST);
      send(run.allp.get(pp), new P.Acquire(now, e.m(), e.mid(), false, e.g(), true, null));
      return this;
    }
    // exitsyscall0: no P; queue the G globally and park the M (no wakep here).
    run.stats.count(Counter.EXITSYSCALL_SLOW);
    G g = e.g();
    if (run.trace != null) {
      run.trace.mInstant(e.mid(), now, "exitsyscall0", "no P: " + M.gName(g) + " to the global run queue");
    }
    g.take(G.Where.ON_M, run.stats);
    g.m = -1;
    g.runnableSince = now;
    globrunqput(g);
    if (g.lockedm == e.mid()) {
      send(e.m(), new M.LockedWait(now + run.cost.exitsyscall0()));
    } else {
      stopm(e.m(), e.mid());
    }
    return this;
  }

  private Behavior<Command> onNetpollReturned(NetpollReturned n) {
    atomics.lastpoll = now;
    run.mview(n.mid()).blocked = false;
    if (run.trace != null) {
      run.trace.m(n.mid(), now, n.wasSpinning() ? TraceRecorder.Kind.SPIN : TraceRecorder.Kind.NONE,
          "spinning", -1);
    }
    int pp = pidleget();
    if (pp < 0) {
      injectglist(n.list());
      stopm(n.m(), n.mid());
      return this;
    }
    if (n.list().length > 0) {
      G first = n.list()[0];
      G[] rest = injectWithP(java.util.Arrays.copyOfRange(n.list(), 1, n.list().length));
      send(run.allp.get(pp), new P.Acquire(now, n.m(), n.mid(), false, first, false, rest));
      return this;
    }
    if (n.wasSpinning()) {
      atomics.becomeSpinning();
    }
    send(run.allp.get(pp), new P.Acquire(now, n.m(), n.mid(), n.wasSpinning(), null, false, null));
    return this;
  }

  private Behavior<Command> onReady(Ready r) {
    r.g().runnableSince = now;
    globrunqput(r.g());
    wakep();
    return this;
  }

  private Behavior<Command> onMExit(MExit e) {
    nmfreed++;
    atomics.mcount = mnext - nmfreed;
    run.stats.threads(now, atomics.mcount);
    if (e.mid() == 0) {
      // m0 is wedged, not gone: its OS thread stays (see M.wedgeM0).
      run.stats.osThreadsDiffer(now, +1);
    } else {
      run.stats.count(Counter.MS_DESTROYED);
    }
    run.liveness.checkdead(); // mexit calls checkdead
    return this;
  }

  private Behavior<Command> onSysmonNetpoll(SysmonNetpoll s) {
    long last = atomics.lastpoll;
    if (atomics.netpollInited && last != Atomics.POLLING && last + NETPOLL_STALE_NS < now) {
      atomics.lastpoll = now;
      run.stats.count(Counter.NETPOLL_NONBLOCKING);
      send(run.netpoller, new Netpoller.PollForSysmon(now));
    }
    return this;
  }

  private Behavior<Command> onSetMaxThreads(SetMaxThreads s) {
    maxmcount = s.threads();
    checkmcount(0);
    return this;
  }

  /**
   * procresize(nprocs) and startTheWorld, as Go 1.19's proc.go: new Ps are made (or Ps destroyed
   * earlier are reused, as allp keeps them) and go idle; Ps past nprocs are destroyed (P.Destroy:
   * run queue to the global queue, timers to P0, the M holding one lets go); then wakep, in case
   * there is work for the Ps now idle.
   */
  private Behavior<Command> onProcresize(Procresize r) {
    int old = atomics.gomaxprocs();
    int procs = r.procs();
    for (int i = old; i < procs; i++) {
      if (i < run.allp.size()) {
        send(run.allp.get(i), new P.Init(now));
      } else {
        run.allp.add(getContext().spawn(P.create(run, i), "p" + i, run.dispatcher));
      }
      pidleput(i);
    }
    for (int i = 0; i < Math.min(old, procs); i++) {
      if (atomics.pStatus[i] == P._Psyscall) {
        send(run.allp.get(i), new P.GcStop(now)); // the STW took it from its M
      }
    }
    for (int i = procs; i < old; i++) {
      if (pidle.remove(i)) {
        atomics.npidle--;
        atomics.pIdle[i] = false;
      }
      send(run.allp.get(i), new P.Destroy(now, 0));
    }
    atomics.gomaxprocs = procs;
    run.stats.procsFrom.put(now, procs);
    wakep();
    return this;
  }

  private Behavior<Command> onPDestroyed(PDestroyed d) {
    // globrunqputhead, popping the local queue from its tail: the queue keeps its order.
    G[] gs = d.gs();
    for (int i = gs.length - 1; i >= 0; i--) {
      G g = gs[i];
      g.status = G.Status._Grunnable;
      g.place(G.Where.GLOBAL_RUNQ, run.stats);
      runq.addFirst(g);
    }
    atomics.runqsize = runq.size();
    if (d.m() != null) {
      if (d.spinning()) {
        decSpinning();
      }
      stopm(d.m(), d.mid());
    }
    for (int n = gs.length; n > 0 && atomics.npidle != 0; n--) {
      startm(-1, false);
    }
    return this;
  }

  // The GC's stop-the-world (stopTheWorldWithSema / startTheWorldWithSema).

  private StopTheWorld stw;
  private long stwStart;
  private boolean[] stopped;
  private final ArrayDeque<StopTheWorld> stwQueue = new ArrayDeque<>();

  /**
   * stopTheWorldWithSema: gcwaiting, then every P stops. Idle Ps are taken off the idle list here,
   * Ps in a syscall by their own actor (the CAS _Psyscall -> _Pgcstop), running ones at their M's
   * next schedule() once preemptall reaches it. The asking M keeps its P.
   */
  private Behavior<Command> onStopTheWorld(StopTheWorld s) {
    if (stw != null) {
      stwQueue.add(s);
      return this;
    }
    stw = s;
    stwStart = now;
    int procs = atomics.gomaxprocs();
    atomics.gcwaiting = true;
    atomics.stopwait = procs - 1;
    stopped = new boolean[procs];
    stopped[s.pid()] = true;
    if (s.why() == GcController.Stw.MARK_TERMINATION) {
      run.gc.markTerminationRequested();
    }
    if (run.trace != null) {
      run.trace.mInstant(s.mid(), now, "stopTheWorld", s.why().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    }
    for (int p; (p = pidleget()) >= 0; ) {
      stopped[p] = true;
      atomics.stopwait--;
    }
    for (int i = 0; i < procs; i++) {
      if (!stopped[i]) {
        send(run.allp.get(i), new P.StwStop(now));
      }
    }
    if (atomics.stopwait == 0) {
      worldStopped();
    }
    return this;
  }

  private Behavior<Command> onPStopped(PStopped s) {
    if (s.m() != null) {
      if (s.spinning()) {
        decSpinning();
      }
      stopm(s.m(), s.mid());
    }
    stwStopped(s.p());
    return this;
  }

  /** sched.stopwait--: P {@code p} has stopped; the last one wakes the stopping M. */
  private void stwStopped(int p) {
    if (!atomics.gcwaiting || p >= stopped.length || stopped[p]) {
      return;
    }
    stopped[p] = true;
    if (--atomics.stopwait == 0) {
      worldStopped();
    }
  }

  /** The world is stopped: the asking M does the phase's work, then starts it again. */
  private void worldStopped() {
    long work = stw.why() == GcController.Stw.SWEEP_TERMINATION
        ? run.cost.gcSweepTermination()
        : run.cost.gcMarkTermination();
    send(getContext().getSelf(), new StartTheWorld(now + work));
  }

  /**
   * startTheWorldWithSema: the GC's phase moves on, then procresize gives every stopped P with
   * local work an M (an idle one or a new thread) and puts the others on the idle list, and wakep
   * starts a spinning M in case there is more work: with the mark on, that M runs a worker.
   */
  private Behavior<Command> onStartTheWorld(StartTheWorld st) {
    StopTheWorld s = stw;
    long pause = now - stwStart;
    run.gc.pause(stwStart, pause);
    if (s.why() == GcController.Stw.SWEEP_TERMINATION) {
      run.gc.startMark(now);
    } else {
      run.gc.endCycle(stwStart, now);
    }
    atomics.gcwaiting = false;
    atomics.stopwait = 0;
    stw = null;
    if (run.trace != null) {
      run.trace.mInstant(s.mid(), now, "startTheWorld", "paused " + pause + "ns");
    }
    for (int i = stopped.length - 1; i >= 0; i--) {
      if (i == s.pid() || !stopped[i]) {
        continue;
      }
      send(run.allp.get(i), new P.StwRestart(now));
      if (!atomics.runqempty(i)) {
        startm(i, false);
      } else {
        pidleput(i);
      }
    }
    send(s.m(), new M.WorldStarted(now));
    if (atomics.sysmonwait) {
      send(run.sysmon, new Sysmon.Wake(now));
    }
    wakep();
    StopTheWorld next = stwQueue.poll();
    if (next != null) {
      onStopTheWorld(next);
    }
    return this;
  }

  /** checkmcount: more threads than sched.maxmcount is fatal. {@code adding}: the M being made. */
  private boolean checkmcount(int adding) {
    if (mnext - nmfreed - extraMsExempt + adding > maxmcount) {
      run.events.halt("fatal: runtime: program exceeds " + maxmcount + "-thread limit");
      return false;
    }
    return true;
  }

  // The helpers below are proc.go's functions of the same names.

  private void wakep() {
    if (!atomics.wakepWorthTrying(run.goMinor)) {
      return;
    }
    atomics.nmspinning = 1;
    run.stats.count(Counter.WAKEPS);
    startm(-1, true);
  }

  private void decSpinning() {
    atomics.nmspinning--;
    if (atomics.nmspinning < 0) {
      violation("negative nmspinning");
      atomics.nmspinning = 0;
    }
  }

  /** startm: run pp (or an idle P) on an idle M, or on a new one. */
  private void startm(int pp, boolean spinning) {
    if (pp < 0) {
      pp = pidleget();
      if (pp < 0) {
        if (spinning) {
          decSpinning();
          if (run.goMinor >= 21) {
            atomics.needspinning = true;
          }
        }
        return;
      }
    }
    run.stats.count(Counter.STARTMS);
    if (spinning) {
      run.stats.count(Counter.SPINNING_STARTS);
    }
    Idle m = midle.poll();
    if (m == null) {
      newm(pp, spinning, false);
      return;
    }
    atomics.nmidle--;
    MView v = run.mview(m.id());
    v.spinning = spinning;
    // A notewakeup before the M is asleep is kept by the note: it goes on without sleeping.
    long wake = run.cost.futexWake();
    long at = now < m.parkedAt() ? m.parkedAt() : now + wake;
    send(m.ref(), new M.Start(at, run.allp.get(pp), pp, spinning));
  }

  /** newm: a new OS thread (clone). Over the thread limit the program dies. */
  private void newm(int pp, boolean spinning, boolean template) {
    if (!checkmcount(1)) {
      return;
    }
    int id = mnext++;
    atomics.mcount = mnext - nmfreed;
    run.stats.count(Counter.MS_CREATED);
    run.stats.threads(now, atomics.mcount);
    if (run.trace != null) {
      run.trace.mInstant(id, now, "newm", template ? "template thread" : "for P" + pp);
      if (template) {
        run.trace.mRole(id, "template thread");
        run.trace.m(id, now, TraceRecorder.Kind.IDLE, "template thread", -1);
      }
    }
    MView v = run.mview(id);
    v.spinning = spinning;
    run.stats.mAlive(1);
    ActorRef<M.Command> ref =
        getContext().spawn(M.create(run, id, template), "m" + id, run.dispatcher);
    if (!template) {
      send(ref, new M.Start(now + run.cost.newm(), run.allp.get(pp), pp, spinning));
    }
  }

  /** stopm: park the M on midle (never freed, unless the pool policy caps idle Ms). */
  private void stopm(ActorRef<M.Command> m, int mid) {
    run.stats.count(Counter.STOPMS);
    run.mview(mid).spinning = false;
    if (run.trace != null) {
      run.trace.mInstant(mid, now, "stopm", null);
    }
    if (run.runtime.idleMs() == dev.gmpsim.protocol.scenario.RuntimeSpec.IdleMs.POOL
        && atomics.nmidle >= run.runtime.idleMsCap()) {
      nmfreed++;
      atomics.mcount = mnext - nmfreed;
      run.stats.count(Counter.MS_DESTROYED);
      run.stats.threads(now, atomics.mcount);
      send(m, new M.Exit(now));
      run.liveness.checkdead();
      return;
    }
    long parkedAt = now + run.cost.futexPark();
    midle.push(new Idle(m, mid, parkedAt));
    atomics.nmidle++;
    send(m, new M.Stopped(parkedAt));
    run.liveness.checkdead(); // mput calls checkdead
  }

  private int pidleget() {
    Integer p = pidle.poll();
    if (p == null) {
      return -1;
    }
    atomics.npidle--;
    atomics.pIdle[p] = false;
    return p;
  }

  private void pidleput(int p) {
    pidle.push(p);
    atomics.npidle++;
    atomics.pIdle[p] = true;
  }

  private void globrunqput(G g) {
    g.status = G.Status._Grunnable;
    g.place(G.Where.GLOBAL_RUNQ, run.stats);
    runq.addLast(g);
    atomics.runqsize = runq.size();
  }

  /** globrunqget: take a fair share of the global queue; the first is run, the rest queued. */
  private G[] globrunqget(int max) {
    int size = runq.size();
    if (size == 0) {
      return null;
    }
    int n = size / atomics.gomaxprocs() + 1;
    n = Math.min(n, size);
    if (max > 0) {
      n = Math.min(n, max);
    }
    n = Math.min(n, P.RUNQ_SIZE / 2);
    G[] out = new G[n];
    for (int i = 0; i < n; i++) {
      out[i] = runq.pollFirst();
      out[i].take(G.Where.GLOBAL_RUNQ, run.stats);
    }
    atomics.runqsize = runq.size();
    return out;
  }

  /** injectglist for a caller without a P: all to the global queue, an M per idle P. */
  private void injectglist(G[] list) {
    for (G g : list) {
      g.runnableSince = now;
      globrunqput(g);
    }
    for (int n = list.length; n > 0 && atomics.npidle != 0; n--) {
      startm(-1, false);
    }
  }

  /**
   * injectglist for a caller with a P: one G per idle P goes global (with an M started for
   * each), the rest go to the caller's local queue (returned).
   */
  private G[] injectWithP(G[] list) {
    int n = Math.min(atomics.npidle, list.length);
    for (int i = 0; i < n; i++) {
      list[i].runnableSince = now;
      globrunqput(list[i]);
    }
    for (int i = 0; i < n && atomics.npidle != 0; i++) {
      startm(-1, false);
    }
    G[] local = java.util.Arrays.copyOfRange(list, n, list.length);
    for (G g : local) {
      g.runnableSince = now;
    }
    return local;
  }
}
