package dev.gmpsim.model;

import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Machine;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * The kernel's CPU scheduler beneath the runtime (docs/costs.md, "CPUs"): which OS threads hold
 * one of the machine's CPUs, and how long a thread that becomes runnable waits for one. It is a
 * plain object the run shares, like {@link Atomics}: the run delivers one message at a time in
 * virtual-time order. It sends nothing itself; the actor that wakes a thread asks {@link #wake}
 * and, only when the answer is a wait, re-delivers its message that much later.
 *
 * <p>Threads are numbered M id + 1, sysmon is 0. A thread holds a CPU from the moment it wakes
 * (or its wait ends) until it blocks ({@link #off}). While it runs a compute step it is a long
 * runner: a woken thread preempts it (EEVDF's wake-up preemption of a thread with lag) and the
 * step is lengthened by what the woken thread ran; long runners share the CPUs fairly with each
 * other and the background. Everything else a thread runs (the runtime's own paths, short
 * syscalls, spinning) is a burst a woken thread must wait behind when every CPU holds one.
 */
final class Cpus {
  static final int SYSMON = 0;

  /** M {@code mid}'s thread (sysmon's is {@link #SYSMON}). */
  static int m(int mid) {
    return mid + 1;
  }
  private static final long OPEN = Long.MAX_VALUE;
  /** EEVDF's base slice before scaling (sysctl_sched_base_slice, 0.75ms). */
  static final long BASE_SLICE_NS = 750_000;

  final int n;
  final Machine.Background background;
  /** The base slice scaled as the kernel scales it: x (1 + log2(min(cpus, 8))). */
  final long slice;
  /** CPU time of one context switch (context-switch's mean): each run pays one in and one out. */
  final long switchNs;
  private final long windowFrom;

  private long[] onFrom = new long[0];
  private long[] offAt = new long[0];
  private long[] lastRun = new long[0];
  private long[] owed = new long[0];
  private int[] victim = new int[0];
  /** How often each long runner was preempted in its current step. */
  private int[] hits = new int[0];
  private boolean[] longRunner = new boolean[0];
  /** Threads that may hold a CPU (onFrom set, not yet known to be off before now). */
  private int[] active = new int[16];
  private int nactive;

  private final Histogram waits = RunStats.latencies();
  private long wakeups;
  private long waited;
  private long preemptions;
  private double processNs;

  Cpus(Machine machine, long switchNs, long windowFrom) {
    this.n = machine.cpus();
    this.background = machine.background();
    this.slice = BASE_SLICE_NS * (1 + log2(Math.min(n, 8)));
    this.switchNs = switchNs;
    this.windowFrom = windowFrom;
  }

  private static int log2(int v) {
    return 31 - Integer.numberOfLeadingZeros(v);
  }

  /**
   * Thread {@code th} becomes runnable at {@code t}: the wait before it runs (0 when a CPU is
   * free or a long runner can be preempted). From then on it holds a CPU.
   */
  long wake(int th, long t) {
    ensure(th);
    prune(t);
    if (holds(th, t)) {
      return 0; // already on a CPU (its wait was granted, or it never left)
    }
    int cap = capacity(t);
    int bursts = 0;
    int longs = 0;
    int longest = -1; // the long runner to preempt
    for (int i = 0; i < nactive; i++) {
      int j = active[i];
      if (j == th) {
        continue; // every other active thread runs at t or has a CPU granted later
      }
      if (longRunner[j] && onFrom[j] <= t) {
        longs++;
        // The one owed least so far: preemptions spread over the long runners, as fair shares do.
        if (longest < 0 || hits[j] < hits[longest] || hits[j] == hits[longest] && onFrom[j] < onFrom[longest]) {
          longest = j;
        }
      } else {
        bursts++; // running a burst, or waiting for a CPU granted later
      }
    }
    long wait = 0;
    if (bursts + longs + 1 > cap) {
      if (longs > 0 && bursts + 1 <= cap) {
        // Wake-up preemption: the sleeper has lag, the long runner has used its share.
        victim[th] = longest;
        hits[longest]++;
        preemptions++;
      } else {
        wait = firstFree(th, t) - t;
      }
    }
    wakeups++;
    if (wait > 0) {
      waited++;
    }
    waits.recordValue(Math.min(wait, RunStats.MAX_LATENCY));
    start(th, t + wait);
    return wait;
  }

  /** Thread {@code th} holds a CPU from {@code t} without waiting (m0 at the start). */
  void start(int th, long t) {
    ensure(th);
    if (offAt[th] == OPEN && onFrom[th] >= 0) {
      return;
    }
    onFrom[th] = t;
    offAt[th] = OPEN;
    longRunner[th] = false;
    for (int i = 0; i < nactive; i++) {
      if (active[i] == th) {
        return;
      }
    }
    if (nactive == active.length) {
      active = Arrays.copyOf(active, nactive * 2);
    }
    active[nactive++] = th;
  }

  /** Thread {@code th} blocks at {@code t} (a syscall, a futex sleep, its end). */
  void off(int th, long t) {
    if (th >= onFrom.length || offAt[th] != OPEN) {
      return;
    }
    long from = onFrom[th];
    long end = Math.max(t, from) + 2 * switchNs; // switched in at its wake-up, and out now
    offAt[th] = end;
    lastRun[th] = end - from;
    processNs += Math.max(0, end - Math.max(from, windowFrom));
    int v = victim[th];
    if (v >= 0) {
      victim[th] = -1;
      if (longRunner[v]) {
        owed[v] += end - from;
      }
    }
    longRunner[th] = false;
  }

  /**
   * A compute step of {@code d} starts at {@code t} on thread {@code th}: it is a long runner,
   * and shares the CPUs fairly with the other long runners and the background.
   */
  long compute(int th, long t, long d) {
    ensure(th);
    longRunner[th] = true;
    if (d <= 0) {
      return d;
    }
    prune(t);
    int longs = 0;
    for (int i = 0; i < nactive; i++) {
      int j = active[i];
      if (longRunner[j] && onFrom[j] <= t && t < offAt[j]) {
        longs++;
      }
    }
    double demand = longs + background.at(t);
    return demand > n ? (long) Math.ceil(d * demand / n) : d;
  }

  /** The CPU time woken threads took from {@code th}'s compute step, once (then 0). */
  long owed(int th) {
    if (th >= owed.length) {
      return 0;
    }
    long o = owed[th];
    owed[th] = 0;
    return o;
  }

  /** The compute step ended: the thread runs bursts again. */
  void burst(int th) {
    if (th < longRunner.length) {
      longRunner[th] = false;
      owed[th] = 0;
      hits[th] = 0;
    }
  }

  private boolean holds(int th, long t) {
    return onFrom[th] >= 0 && offAt[th] == OPEN; // running, or its wait already granted
  }

  /** Whole CPUs left to the process at {@code t}: the background's fractional CPU is busy for that share of each slice. */
  private int capacity(long t) {
    double b = background.at(t);
    int whole = (int) Math.floor(b);
    double frac = b - whole;
    int cap = n - whole;
    if (frac > 0 && (t % slice) < frac * slice) {
      cap--;
    }
    return cap;
  }

  /**
   * The first time from {@code t} at which a CPU is free of bursts: when a burst ends (as far as
   * it is known; an open one is expected to run as long as that thread's last run did, at most a
   * slice), or when the background's share of the slice is over. At the latest a slice from now:
   * the fair scheduler gives every runnable thread a turn within one.
   */
  private long firstFree(int th, long t) {
    long[] cand = new long[nactive * 2 + 3];
    int k = 0;
    for (int i = 0; i < nactive; i++) {
      int j = active[i];
      if (j == th) {
        continue;
      }
      cand[k++] = end(j);
      if (onFrom[j] > t) {
        cand[k++] = onFrom[j];
      }
    }
    long period = t - t % slice;
    double frac = background.at(t) - Math.floor(background.at(t));
    cand[k++] = period + (long) Math.ceil(frac * slice);
    cand[k++] = period + slice;
    long latest = t + slice;
    cand[k++] = latest;
    Arrays.sort(cand, 0, k);
    for (int c = 0; c < k; c++) {
      long tau = cand[c];
      if (tau < t) {
        continue;
      }
      if (tau >= latest) {
        return latest;
      }
      int busy = 0;
      for (int i = 0; i < nactive; i++) {
        int j = active[i];
        if (j != th && !(longRunner[j] && onFrom[j] <= t) && onFrom[j] <= tau && tau < end(j)) {
          busy++;
        }
      }
      if (busy + 1 <= capacity(tau)) {
        return tau;
      }
    }
    return latest;
  }

  /** When thread {@code j}'s run ends: known, or expected from its last run (within a slice). */
  private long end(int j) {
    if (offAt[j] != OPEN) {
      return offAt[j];
    }
    long expect = Math.max(lastRun[j], switchNs);
    return onFrom[j] + Math.min(Math.max(expect, 1), slice);
  }

  /** Forgets threads known to be off before {@code t}. */
  private void prune(long t) {
    int w = 0;
    for (int i = 0; i < nactive; i++) {
      int j = active[i];
      if (offAt[j] == OPEN || offAt[j] > t) {
        active[w++] = j;
      }
    }
    nactive = w;
  }

  private void ensure(int th) {
    if (th < onFrom.length) {
      return;
    }
    int size = Math.max(th + 1, onFrom.length * 2);
    int old = onFrom.length;
    onFrom = Arrays.copyOf(onFrom, size);
    offAt = Arrays.copyOf(offAt, size);
    lastRun = Arrays.copyOf(lastRun, size);
    owed = Arrays.copyOf(owed, size);
    victim = Arrays.copyOf(victim, size);
    hits = Arrays.copyOf(hits, size);
    longRunner = Arrays.copyOf(longRunner, size);
    for (int i = old; i < size; i++) {
      onFrom[i] = -1;
      offAt[i] = 0;
      victim[i] = -1;
    }
  }

  /** The summary's cpu block over the window [{@code from}, {@code end}]. */
  RunSummary.Cpu summary(long from, long end, HrTimers timers) {
    double proc = processNs;
    for (int i = 0; i < nactive; i++) {
      int j = active[i];
      if (offAt[j] == OPEN && onFrom[j] < end) {
        proc += end - Math.max(onFrom[j], from);
      }
    }
    double span = Math.max(1, end - from);
    double bg = background.cpuNs(from, end);
    double capacity = n * span;
    return new RunSummary.Cpu(
        n,
        round(bg / span),
        round(Math.min(1, proc / capacity)),
        round(Math.min(1, (proc + bg) / capacity)),
        wakeups,
        wakeups == 0 ? 0 : round((double) waited / wakeups),
        wakeups == 0 ? 0 : waits.getValueAtPercentile(50),
        wakeups == 0 ? 0 : waits.getValueAtPercentile(99),
        waits.getMaxValue(),
        preemptions,
        timers == null ? null : new RunSummary.Timers(timers.armed(),
            timers.armed() == 0 ? 0 : round((double) timers.cutShort() / timers.armed()), timers.meanSavedNs()));
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
