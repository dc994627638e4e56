package dev.gmpsim.model;

/**
 * The runtime's lock-free words. In proc.go any thread reads these with atomic loads and no lock
 * (sched.npidle, sched.nmspinning, sched.lastpoll, pp.status, pp.schedtick, the run queue heads
 * and tails...). The model lets any actor of the run read them, because the clock runs one actor
 * at a time; each word is written only by the actor that owns it, named on the field.
 */
public final class Atomics {
  static final long POLLING = -1;

  // Owned by Sched.
  int npidle;
  int nmspinning;
  int nmidle;
  int mcount;
  int runqsize;
  boolean needspinning;
  /**
   * When the network was last polled, or {@link #POLLING} while an M is blocked in netpoll (the
   * runtime uses 0 for that).
   */
  long lastpoll;
  boolean haveTemplateThread;
  /** idlepMask: P i is on the idle list (a P being handed off is not, and can be stolen from). */
  final boolean[] pIdle;

  /**
   * wakep's lock-free check, which differs by version: Go 1.19/1.20 first look for an idle P,
   * Go 1.21+ only for a spinning M (and set needspinning under the lock when no P is idle).
   */
  /** m.becomeSpinning (Go 1.21+): one more spinning M, and the request for one is met. */
  void becomeSpinning() {
    nmspinning++;
    needspinning = false;
  }

  boolean wakepWorthTrying(int goMinor) {
    return nmspinning == 0 && (goMinor >= 21 || npidle > 0);
  }

  /** sched.gcwaiting: a stop-the-world is under way (owned by Sched). */
  boolean gcwaiting;
  /** sched.stopwait: Ps the stop-the-world still waits for (owned by Sched). */
  int stopwait;

  // Owned by Sysmon.
  boolean sysmonwait;

  // Owned by Netpoller.
  boolean netpollInited;
  int netpollWaiters;
  /** Goroutines epoll would return right now (ready descriptors and expired timers). */
  int netpollReady;
  /** Of those, timers that fired while an M was blocked in netpoll: checkTimers can run them. */
  int timersDue;
  int timers;
  /** When the M blocked in netpoll will wake up by itself (0: no timeout or no poller). */
  long pollUntil;
  /** When the earliest timer fires (timeSleepUntil), or Long.MAX_VALUE with no timers. */
  long nextTimer = Long.MAX_VALUE;

  // Owned by P i.
  final int[] pStatus;
  final long[] pSchedtick;
  final long[] pSyscalltick;
  /** Length of the local run queue without runnext (what schedtrace prints). */
  final int[] pRunqLen;
  final boolean[] pRunnext;
  final long[] pSyscallStart;
  /**
   * Owned by Netpoller: when the earliest timer set from P i fires (Long.MAX_VALUE: none), what
   * handoffp's nobarrierWakeTime reads. The model runs all timers in one place; this remembers
   * whose heap the runtime would have put each on.
   */
  final long[] pTimerNext;
  final int[] pM;
  /** The M whose syscall holds P i (-1: none); Go 1.26 shows it as the P's m. */
  final int[] pSyscallM;

  // Owned by the Ms: how many are in a syscall or cgo call right now (for the time series), and
  // how many locked Ms wait for their goroutine (sched.nmidlelocked).
  int msInSyscall;
  int nmidlelocked;

  /** GOMAXPROCS now: Ps 0 to gomaxprocs-1 exist (procresize changes it; owned by Sched). */
  int gomaxprocs;

  Atomics(int gomaxprocs) {
    this(gomaxprocs, gomaxprocs);
  }

  /** {@code capacity}: the most Ps the run can have (a gomaxprocs fault may add some). */
  Atomics(int gomaxprocs, int capacity) {
    this.gomaxprocs = gomaxprocs;
    gomaxprocs = capacity;
    pStatus = new int[gomaxprocs];
    pSchedtick = new long[gomaxprocs];
    pSyscalltick = new long[gomaxprocs];
    pRunqLen = new int[gomaxprocs];
    pRunnext = new boolean[gomaxprocs];
    pSyscallStart = new long[gomaxprocs];
    pTimerNext = new long[gomaxprocs];
    java.util.Arrays.fill(pTimerNext, Long.MAX_VALUE);
    pM = new int[gomaxprocs];
    pSyscallM = new int[gomaxprocs];
    java.util.Arrays.fill(pSyscallM, -1);
    java.util.Arrays.fill(pM, -1); // held by no M until acquired (M0 is a real M)
    pIdle = new boolean[gomaxprocs];
  }

  int gomaxprocs() {
    return gomaxprocs;
  }

  /** Sum of the local run queues, for traces. */
  /** runqempty(pp): no runnable G in the local queue nor in runnext. */
  boolean runqempty(int p) {
    return pRunqLen[p] == 0 && !pRunnext[p];
  }

  int localRunq() {
    int n = 0;
    for (int l : pRunqLen) {
      n += l;
    }
    return n;
  }
}
