package dev.gmpsim.model;

import java.util.ArrayDeque;

/**
 * The garbage collector's state: the pacer (gcControllerState in Go 1.19's mgcpacer.go), the
 * phase (gcphase, gcBlackenEnabled), the mark work left and the pool of gcBgMarkWorker
 * goroutines. A plain object, not an actor: the clock runs one actor at a time, and the runtime
 * reads and writes these words with atomics from whichever thread allocates or marks. Exists only
 * when some step allocates; every hook in P, M and Sched checks for null first.
 *
 * <p>What it leaves out (docs/gc.md): no object graph (the scan work of a cycle is the live
 * heap, the goroutines' stacks and the globals, at a rate from the cost table), no sweeping, no
 * scavenger, no GC CPU limiter, no periodic (2 minute) forced GC.
 */
final class GcController {
  // gcMarkWorkerMode.
  static final int DEDICATED = 1;
  static final int FRACTIONAL = 2;
  static final int IDLE = 3;

  /** workerSlice's answers besides a slice length. */
  static final long PARK = 0;
  static final long MARK_DONE = -1;

  enum Phase { OFF, MARK }

  /** Why the world is stopped: gcStart's sweep termination or gcMarkDone's mark termination. */
  enum Stw { SWEEP_TERMINATION, MARK_TERMINATION }

  static final double BACKGROUND_UTILIZATION = 0.25; // gcBackgroundUtilization = gcGoalUtilization
  static final long HEAP_MINIMUM = 4L << 20; // defaultHeapMinimum
  static final long MIN_RUNWAY = 64L << 10;
  static final long MEMORY_LIMIT_HEADROOM = 1L << 20; // memoryLimitHeapGoalHeadroom
  static final int TRIGGER_DEN = 64;
  static final int MIN_TRIGGER_NUM = 45;
  static final int MAX_TRIGGER_NUM = 61;
  /** Scan work per goroutine stack: a fresh stack is 2KB and the GC scans what is in use. */
  static final long STACK_SCAN_PER_G = 2048;
  /** How long a worker drains before it looks again (pollWork, its fraction, the work left). */
  static final long SLICE_NS = 200_000;
  static final long MIN_SLICE_NS = 10_000;
  static final long MB = 1L << 20;

  private final RunContext run;
  final int gcPercent;
  final long memoryLimit;
  final long live;
  final long globals;
  final boolean pi; // Go 1.19/1.20 smooth cons/mark with a PI controller; 1.21+ take the max of 4

  Phase phase = Phase.OFF;
  /** gcBlackenEnabled: mark workers and assists may run. */
  boolean blackenEnabled;
  /** gcStart was called and its stop-the-world has not finished. */
  boolean starting;
  /** gcMarkDone was called this cycle. */
  boolean markDone;

  long heapLive;
  long heapMarked;
  long trigger = Long.MAX_VALUE;
  long goal = Long.MAX_VALUE;
  private long triggered = Long.MAX_VALUE;
  private long lastStackScan;
  private double consMark;
  private double errIntegral;
  private final double[] lastConsMark = new double[4];

  // The cycle under way.
  private int procs;
  private long markStart;
  private long heapLiveAtMark;
  private long scanWorkExpected;
  long workRemaining;
  private long workDone;
  private long bgCredit;
  private long nsPerMb;
  private double assistWorkPerByte;
  int dedicatedNeeded;
  double fractionalGoal;
  private int maxIdle;
  private int nIdle;
  private long[] fractionalTime = new long[0];
  /** Workers in the middle of a slice. */
  private int busy;
  private long cycleAssistNs;
  private long cycleIdleNs;

  private final ArrayDeque<G> pool = new ArrayDeque<>();
  private boolean workersStarted;

  // What the summary reports (from the end of the warm-up on).
  long cycles;
  long allocated;
  long dedicatedNs;
  long fractionalNs;
  long idleNs;
  long assistNs;
  final java.util.List<Long> pauses = new java.util.ArrayList<>();
  long pauseProcNs;

  GcController(RunContext run) {
    this.run = run;
    this.gcPercent = run.runtime.gcPercent();
    this.memoryLimit = run.runtime.memoryLimit();
    this.live = run.scenario.heapOrDefault().liveBytes();
    this.globals = run.scenario.heapOrDefault().globalsBytes();
    this.pi = run.goMinor < 21;
    // The program is taken in its steady state: its live heap allocated and marked once.
    this.heapMarked = live;
    this.heapLive = live;
    this.lastStackScan = STACK_SCAN_PER_G;
    commit();
  }

  private boolean windowed(long t) {
    return t >= run.scenario.warmup();
  }

  // mallocgc

  /**
   * mallocgc's accounting of {@code bytes}: heapLive grows and, during the mark, the allocating
   * goroutine pays for it (gcAssistAlloc: first from the workers' credit, then by marking
   * itself). Returns the CPU time of its assist.
   */
  long alloc(long bytes, long t) {
    heapLive += bytes;
    if (windowed(t)) {
      allocated += bytes;
    }
    if (!blackenEnabled) {
      return 0;
    }
    revise();
    long debt = (long) Math.ceil(bytes * assistWorkPerByte);
    long credit = Math.min(bgCredit, debt);
    bgCredit -= credit;
    debt -= credit;
    long work = Math.min(debt, workRemaining);
    if (work <= 0) {
      return 0;
    }
    workRemaining -= work;
    workDone += work;
    long ns = work * nsPerMb / MB;
    cycleAssistNs += ns;
    if (windowed(t)) {
      assistNs += ns;
    }
    return ns;
  }

  /** The heap reached the trigger (gcTrigger.test for gcTriggerHeap) and no cycle is starting. */
  boolean shouldStart() {
    return phase == Phase.OFF && !starting && heapLive >= trigger;
  }

  /** gcStart up to its stop-the-world: the first cycle starts the workers (gcBgMarkStartWorkers). */
  void gcStart() {
    starting = true;
    if (!workersStarted) {
      workersStarted = true;
      for (int i = 0; i < run.atomics.gomaxprocs(); i++) {
        G w = run.newG(true, new Op[] {new Op.Loop(0, new Op[] {new Op.MarkWork()})});
        w.gcWorker = true;
        w.group = "GC worker";
        w.status = G.Status._Gwaiting;
        w.waitReason = WORKER_WAIT;
        w.place(G.Where.BLOCKED, run.stats);
        pool.push(w);
      }
    }
  }

  static final String WORKER_WAIT = "GC worker (idle)";

  /** The world is started again after sweep termination: the mark begins (gcBlackenEnabled = 1). */
  void startMark(long now) {
    starting = false;
    markDone = false;
    phase = Phase.MARK;
    blackenEnabled = true;
    procs = run.atomics.gomaxprocs();
    triggered = trigger;
    goal = heapGoal();
    markStart = now;
    heapLiveAtMark = heapLive;
    lastStackScan = (long) run.allgs.size() * STACK_SCAN_PER_G;
    scanWorkExpected = live + lastStackScan + globals;
    workRemaining = scanWorkExpected;
    workDone = 0;
    bgCredit = 0;
    nsPerMb = run.cost.gcMarkPerMb();
    cycleAssistNs = 0;
    cycleIdleNs = 0;
    busy = 0;
    nIdle = 0;
    fractionalTime = new long[procs];
    // startCycle: dedicated workers for 25% of the Ps, rounded; a fractional worker makes up
    // the rest when rounding is more than 30% off (GOMAXPROCS <= 3 or 6).
    double total = procs * BACKGROUND_UTILIZATION;
    dedicatedNeeded = (int) (total + 0.5);
    double err = dedicatedNeeded / total - 1;
    if (err < -0.3 || err > 0.3) {
      if (dedicatedNeeded > total) {
        dedicatedNeeded--;
      }
      fractionalGoal = (total - dedicatedNeeded) / procs;
    } else {
      fractionalGoal = 0;
    }
    maxIdle = procs - dedicatedNeeded;
    revise();
  }

  /** gcMarkDone asked for mark termination: workers and assists stop (gcBlackenEnabled = 0). */
  void markTerminationRequested() {
    blackenEnabled = false;
  }

  /**
   * gcMarkTermination, with the world started again: endCycle's cons/mark estimate, the new
   * marked heap (the live heap plus what was allocated black during the mark) and commit's goal
   * and trigger for the next cycle.
   */
  void endCycle(long stwStart, long now) {
    long duration = Math.max(1, stwStart - markStart);
    double u = BACKGROUND_UTILIZATION + (double) cycleAssistNs / ((double) duration * procs);
    if (heapLive > triggered && workDone > 0) {
      double idleU = (double) cycleIdleNs / ((double) duration * procs);
      double current = (double) (heapLive - triggered) * (u + idleU) / ((double) workDone * (1 - u));
      if (pi) {
        consMark = piNext(consMark, current);
      } else {
        consMark = current;
        for (double c : lastConsMark) {
          consMark = Math.max(consMark, c);
        }
        System.arraycopy(lastConsMark, 1, lastConsMark, 0, lastConsMark.length - 1);
        lastConsMark[lastConsMark.length - 1] = current;
      }
    }
    heapMarked = live + Math.max(0, heapLive - heapLiveAtMark);
    heapLive = heapMarked;
    phase = Phase.OFF;
    if (windowed(now)) {
      cycles++;
    }
    commit();
  }

  /** consMarkController (kp 0.9, ti 4, tt 1000, output in [-1000, 1000]), one step of period 1. */
  private double piNext(double input, double setpoint) {
    double kp = 0.9;
    double ti = 4.0;
    double tt = 1000;
    double raw = kp * (setpoint - input) + errIntegral;
    if (Double.isNaN(raw) || Double.isInfinite(raw)) {
      errIntegral = 0;
      return 0;
    }
    double out = Math.max(-1000, Math.min(1000, raw));
    errIntegral += (kp / ti) * (setpoint - input) + (1 / tt) * (out - raw);
    return out;
  }

  /** A stop-the-world pause of {@code ns} with {@code procs} Ps stopped, for the summary. */
  void pause(long start, long ns) {
    if (windowed(start)) {
      pauses.add(ns);
      pauseProcNs += ns * run.atomics.gomaxprocs();
    }
  }

  // The pacer (commit, heapGoalInternal, memoryLimitHeapGoal, trigger).

  private long gcPercentGoal() {
    if (gcPercent < 0) {
      return Long.MAX_VALUE;
    }
    long g = heapMarked + (heapMarked + lastStackScan + globals) * gcPercent / 100;
    return Math.max(g, HEAP_MINIMUM * gcPercent / 100);
  }

  private long memoryLimitGoal() {
    if (memoryLimit == Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    // Non-heap memory is taken to be the goroutine stacks only (no spans, no fragmentation).
    long nonHeap = (long) run.allgs.size() * STACK_SCAN_PER_G;
    if (nonHeap >= memoryLimit) {
      return heapMarked;
    }
    long g = memoryLimit - nonHeap;
    g = g < 2 * MEMORY_LIMIT_HEADROOM ? MEMORY_LIMIT_HEADROOM : g - MEMORY_LIMIT_HEADROOM;
    return Math.max(g, heapMarked);
  }

  long heapGoal() {
    long g = gcPercentGoal();
    long m = memoryLimitGoal();
    if (m < g) {
      return m;
    }
    if (triggered != Long.MAX_VALUE && g < triggered + MIN_RUNWAY) {
      g = triggered + MIN_RUNWAY;
    }
    return g;
  }

  /** commit and trigger(): where the next cycle starts. */
  private void commit() {
    goal = heapGoal();
    if (goal == Long.MAX_VALUE) {
      trigger = Long.MAX_VALUE; // GOGC=off and no memory limit: no cycle ever starts
      return;
    }
    if (heapMarked >= goal) {
      trigger = goal;
      return;
    }
    long span = goal - heapMarked;
    long minTrigger = heapMarked + span / TRIGGER_DEN * MIN_TRIGGER_NUM;
    long maxTrigger = heapMarked + span / TRIGGER_DEN * MAX_TRIGGER_NUM;
    if (goal > HEAP_MINIMUM && goal - HEAP_MINIMUM > maxTrigger) {
      maxTrigger = goal - HEAP_MINIMUM;
    }
    maxTrigger = Math.max(maxTrigger, minTrigger);
    double runway = consMark * (1 - BACKGROUND_UTILIZATION) / BACKGROUND_UTILIZATION
        * (live + lastStackScan + globals);
    long t = runway < 0 || runway > goal ? minTrigger : goal - (long) runway;
    trigger = Math.max(minTrigger, Math.min(maxTrigger, t));
  }

  /** revise: the assist ratio, scan work left over heap left before the goal. */
  private void revise() {
    long g = goal;
    long expected = scanWorkExpected;
    if (heapLive > g) {
      g = (long) (g * 1.1); // past the goal: leave some runway (maxOvershoot)
    }
    long distance = Math.max(1, g - heapLive);
    long remaining = Math.max(0, expected - workDone);
    assistWorkPerByte = (double) remaining / distance;
  }

  // Mark workers (findRunnableGCWorker, gcBgMarkWorker, the idle worker of findRunnable).

  /** gcMarkWorkAvailable: there is mark work left. */
  boolean markWorkAvailable() {
    return workRemaining > 0;
  }

  /**
   * findRunnableGCWorker for P {@code pid}: a dedicated worker while fewer than needed run, else a
   * fractional one while this P is under its share. Also hands out a worker when the work is done
   * but nobody has called gcMarkDone yet (an assist did the last of it).
   */
  G findRunnableGCWorker(int pid, long now) {
    if (!blackenEnabled || pool.isEmpty()) {
      return null;
    }
    boolean finish = workRemaining <= 0 && busy == 0 && !markDone;
    if (workRemaining <= 0 && !finish) {
      return null;
    }
    int mode;
    if (dedicatedNeeded > 0 || finish) {
      dedicatedNeeded--;
      mode = DEDICATED;
    } else if (fractionalGoal == 0) {
      return null;
    } else {
      long delta = now - markStart;
      if (delta > 0 && pid < fractionalTime.length && (double) fractionalTime[pid] / delta > fractionalGoal) {
        return null;
      }
      mode = FRACTIONAL;
    }
    return take(mode);
  }

  /** findRunnable found nothing to run: an idle-priority worker instead of giving up the P. */
  G idleWorker() {
    if (!blackenEnabled || workRemaining <= 0 || nIdle >= maxIdle || pool.isEmpty()) {
      return null;
    }
    nIdle++;
    return take(IDLE);
  }

  private G take(int mode) {
    G w = pool.pop();
    w.take(G.Where.BLOCKED, run.stats);
    w.gcMode = mode;
    w.status = G.Status._Grunnable;
    return w;
  }

  /** A worker goes back to the pool (gopark in gcBgMarkWorker); its mode's slot frees. */
  void parked(G w) {
    endSlice(w, 0, -1);
    if (w.gcMode == DEDICATED) {
      dedicatedNeeded++;
    } else if (w.gcMode == IDLE) {
      nIdle--;
    }
    w.gcMode = 0;
    w.waitReason = WORKER_WAIT;
    pool.push(w);
  }

  /** A worker about to run on a P that must stop: back to the pool without running. */
  void unrun(G w) {
    parked(w);
    w.status = G.Status._Gwaiting;
    w.place(G.Where.BLOCKED, run.stats);
  }

  /**
   * One pass of gcBgMarkWorker's drain for worker {@code w} on P {@code pid}: the CPU time of its
   * next slice (the work is claimed now), {@link #PARK} when it should stop (no work, other work
   * for an idle worker, its fraction used for a fractional one), or {@link #MARK_DONE} when it
   * finished the cycle's last work and must call gcMarkDone.
   */
  long workerSlice(G w, int pid, long now) {
    endSlice(w, 0, pid);
    if (!blackenEnabled) {
      return PARK;
    }
    if (workRemaining <= 0) {
      if (busy == 0 && !markDone) {
        markDone = true;
        return MARK_DONE;
      }
      return PARK;
    }
    long slice = SLICE_NS;
    if (w.gcMode == IDLE && pollWork(pid)) {
      return PARK;
    }
    if (w.gcMode == FRACTIONAL) {
      // pollFractionalWorkerExit: stop once this P's mark time is 1.2x its share of the mark.
      double f = 1.2 * fractionalGoal;
      double d = now - markStart;
      double s = pid < fractionalTime.length ? fractionalTime[pid] : 0;
      double x = (f * d - s) / (1 - f);
      if (x <= 0) {
        return PARK;
      }
      slice = Math.max(MIN_SLICE_NS, Math.min(SLICE_NS, (long) x));
    }
    long work = slice * MB / nsPerMb;
    if (work >= workRemaining) {
      work = workRemaining;
      slice = Math.max(1, workRemaining * nsPerMb / MB);
    }
    workRemaining -= work;
    workDone += work;
    bgCredit += work;
    busy++;
    w.gcSliceNs = slice;
    w.gcSliceAt = now;
    if (w.gcMode == FRACTIONAL && pid < fractionalTime.length) {
      fractionalTime[pid] += slice;
    }
    if (w.gcMode == IDLE) {
      cycleIdleNs += slice;
    }
    if (windowed(now)) {
      switch (w.gcMode) {
        case DEDICATED -> dedicatedNs += slice;
        case FRACTIONAL -> fractionalNs += slice;
        default -> idleNs += slice;
      }
    }
    return slice;
  }

  /**
   * The worker's slice ended; {@code unused} ns of it were cut off (a preemption) and their work
   * goes back to the pool of work.
   */
  void endSlice(G w, long unused, int pid) {
    if (w.gcSliceNs == 0) {
      return;
    }
    if (unused > 0) {
      long u = Math.min(unused, w.gcSliceNs);
      workRemaining += u * MB / nsPerMb;
      workDone -= u * MB / nsPerMb;
      if (windowed(w.gcSliceAt)) {
        switch (w.gcMode) {
          case DEDICATED -> dedicatedNs -= u;
          case FRACTIONAL -> fractionalNs -= u;
          default -> idleNs -= u;
        }
      }
    }
    w.gcSliceNs = 0;
    busy--;
  }

  /** pollWork: the idle worker yields when the P or the global queue has work, or the network. */
  private boolean pollWork(int pid) {
    Atomics a = run.atomics;
    return a.runqsize != 0 || !a.runqempty(pid) || (a.netpollInited && a.netpollReady > 0);
  }

  /** GC CPU over the window, as GCCPUFraction counts it: pauses x Ps, assists, dedicated and fractional. */
  long cpuNs() {
    return pauseProcNs + assistNs + dedicatedNs + fractionalNs;
  }
}
