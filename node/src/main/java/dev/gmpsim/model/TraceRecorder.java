package dev.gmpsim.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records what each M and P did, for a trace viewer (trace.json). Optional: the model calls it
 * only when a run was given one ({@code run.trace != null}), so a run without it does exactly
 * what it did before. Like {@link RunStats} it only observes; nothing here feeds back into the
 * model. Keeps the events whose virtual time falls in the window (the first {@code maxEvents} of
 * them) and counts the ones it left out.
 */
public final class TraceRecorder {
  /** Chrome trace "processes": one per kind of track. */
  public static final int PID_M = 1;
  public static final int PID_P = 2;
  public static final int PID_SCHED = 3;

  /** What a slice shows; the category in trace.json. */
  public enum Kind {
    NONE(""),
    RUN("running"),
    SYSCALL("syscall"),
    CGO("cgo"),
    SPIN("spinning"),
    IDLE("idle"),
    NETPOLL("netpoll"),
    LOCKED("locked-wait"),
    P_HELD("p-running"),
    P_SYSCALL("p-syscall"),
    INSTANT("instant"),
    FAULT("fault"),
    COUNTER("counter");

    public final String category;

    Kind(String category) {
      this.category = category;
    }
  }

  /**
   * One trace event: a complete slice ({@code ph} 'X', with {@code dur}), an instant ('i') or a
   * counter value ('C', the value in {@code g}). {@code g} is the goroutine of a slice (-1: none).
   */
  public record Event(
      char ph, long ts, long dur, int pid, int tid, Kind kind, String name, long g, String detail,
      boolean beganBefore, boolean endedAfter, long seq) {}

  /** An open slice on one track. */
  private static final class Open {
    Kind kind = Kind.NONE;
    String name;
    long g;
    long start;
    boolean startInWindow;
  }

  private final long from;
  private final long to;
  private final long maxEvents;
  private final List<Event> events = new ArrayList<>();
  private long seq;
  private long leftOut;
  private long firstLeftOutAt = -1;
  private RunContext run;
  private final Map<Integer, Open> mOpen = new TreeMap<>();
  private final Map<Integer, Open> pOpen = new TreeMap<>();
  private final Map<Integer, String> mRoles = new TreeMap<>();
  private final java.util.Set<Integer> mLocked = new java.util.TreeSet<>();
  private int gomaxprocs;
  private long end = -1;

  // Counter tracks: sampled when virtual time moves on, at most once per resolution step.
  private long counterStep;
  private long nextCounterAt;
  private long[] lastCounters;

  /**
   * Records events with virtual time in {@code from..to} (ns; {@code to} Long.MAX_VALUE: to the
   * end of the run), at most {@code maxEvents} of them.
   */
  public TraceRecorder(long from, long to, long maxEvents) {
    if (from < 0 || to <= from || maxEvents < 1) {
      throw new IllegalArgumentException("trace window " + from + ".." + to + ", max " + maxEvents);
    }
    this.from = from;
    this.to = to;
    this.maxEvents = maxEvents;
  }

  public long from() {
    return from;
  }

  public long to() {
    return to;
  }

  public long maxEvents() {
    return maxEvents;
  }

  void bind(RunContext run) {
    this.run = run;
    this.gomaxprocs = run.runtime.gomaxprocs();
    this.lastCounters = new long[4 + gomaxprocs];
    Arrays.fill(lastCounters, Long.MIN_VALUE);
    // Counters every 1/20,000 of the window (at least 1us): fine enough to zoom into, bounded.
    long last = Math.min(to, run.scenario.duration());
    this.counterStep = Math.max(1_000, (last - from) / 20_000);
  }

  // --- What the model calls -----------------------------------------------------------------

  /** The slice on M {@code mid} changes to {@code kind} at {@code t} (NONE: no slice). */
  void m(int mid, long t, Kind kind, String name, long g) {
    change(mOpen, PID_M, mid, t, kind, name, g);
  }

  /** P {@code pid} is now in {@code status}, held by M {@code holder} (-1: none). */
  void p(int pid, long t, int status, int holder, String syscall) {
    Open o = pOpen.get(pid);
    Kind kind = status == P._Prunning && holder >= 0 ? Kind.P_HELD
        : status == P._Psyscall ? Kind.P_SYSCALL : Kind.NONE;
    String name = kind == Kind.P_HELD ? "M" + holder : kind == Kind.P_SYSCALL ? "in syscall: " + syscall : null;
    if (o != null && o.kind == kind && java.util.Objects.equals(o.name, name)) {
      return; // published again without a change
    }
    change(pOpen, PID_P, pid, t, kind, name, -1);
  }

  /** A syscall or cgo call made in line, without a round trip through the clock. */
  void quick(int mid, long t, long end, boolean cgo, String name, long g) {
    if (!inWindow()) {
      return;
    }
    add(new Event('X', t, Math.max(0, end - t), PID_M, mid, cgo ? Kind.CGO : Kind.SYSCALL,
        cgo ? "cgo" : name, g, "in line", false, false, 0));
  }

  void mInstant(int mid, long t, String name, String detail) {
    instant(PID_M, mid, t, name, detail, Kind.INSTANT);
  }

  void pInstant(int pid, long t, String name, String detail) {
    instant(PID_P, pid, t, name, detail, Kind.INSTANT);
  }

  void fault(long t, String label, String detail) {
    instant(PID_SCHED, 0, t, "fault " + label, detail, Kind.FAULT);
  }

  /** What an M is besides a worker thread (main thread, sysmon, template...), for its track name. */
  void mRole(int mid, String role) {
    mRoles.putIfAbsent(mid, role);
  }

  /** A goroutine called LockOSThread on M {@code mid}. */
  void mLocked(int mid) {
    mLocked.add(mid);
  }

  /** Virtual time moves from {@code before} to a later time: the counters as they were. */
  void advance(long before) {
    if (before < from || before > to || before < nextCounterAt) {
      return;
    }
    nextCounterAt = before + counterStep;
    Atomics a = run.atomics;
    counter(0, before, "threads", a.mcount);
    counter(1, before, "idle Ps", a.npidle);
    counter(2, before, "spinning Ms", a.nmspinning);
    counter(3, before, "global run queue", a.runqsize);
    for (int i = 0; i < gomaxprocs; i++) {
      counter(4 + i, before, "run queue P" + i, a.pRunqLen[i] + (a.pRunnext[i] ? 1 : 0));
    }
  }

  /** The run is over at {@code t}: open slices end here. */
  void finish(long t) {
    if (end >= 0) {
      return;
    }
    advance(t);
    for (Map.Entry<Integer, Open> e : mOpen.entrySet()) {
      close(PID_M, e.getKey(), e.getValue(), t);
    }
    for (Map.Entry<Integer, Open> e : pOpen.entrySet()) {
      close(PID_P, e.getKey(), e.getValue(), t);
    }
    end = t;
  }

  // --- What the writer reads ----------------------------------------------------------------

  /** The events, by time (a slice before the ones it contains), then in the order recorded. */
  public List<Event> events() {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(Event::ts)
        .thenComparing(Comparator.comparingLong(Event::dur).reversed())
        .thenComparingLong(Event::seq));
    return Collections.unmodifiableList(sorted);
  }

  public long leftOut() {
    return leftOut;
  }

  /** Virtual time of the first event left out because of the cap (-1: none). */
  public long firstLeftOutAt() {
    return firstLeftOutAt;
  }

  /** Virtual time the run ended at (-1 before it did). */
  public long end() {
    return end;
  }

  public int gomaxprocs() {
    return gomaxprocs;
  }

  /** Track names of the Ms that appear: "M3", "M3 (locked)", "M1 (sysmon)". */
  public Map<Integer, String> mNames() {
    Map<Integer, String> names = new TreeMap<>();
    java.util.Set<Integer> ids = new java.util.TreeSet<>(mRoles.keySet());
    ids.addAll(mOpen.keySet());
    ids.addAll(mLocked);
    for (Event e : events) {
      if (e.pid() == PID_M) {
        ids.add(e.tid());
      }
    }
    for (int id : ids) {
      StringBuilder b = new StringBuilder("M").append(id);
      String role = mRoles.get(id);
      if (role != null || mLocked.contains(id)) {
        b.append(" (");
        if (role != null) {
          b.append(role);
        }
        if (mLocked.contains(id)) {
          b.append(role != null ? ", " : "").append("locked");
        }
        b.append(')');
      }
      names.put(id, b.toString());
    }
    return names;
  }

  // --- Inside -------------------------------------------------------------------------------

  /** The model's time now (the message being handled), which decides what is in the window. */
  private boolean inWindow() {
    long n = run.events.now();
    return from == 0 ? n <= to : n > from && n <= to;
  }

  private void change(Map<Integer, Open> open, int pid, int tid, long t, Kind kind, String name, long g) {
    Open o = open.computeIfAbsent(tid, k -> new Open());
    if (o.kind == kind && (kind == Kind.NONE || (java.util.Objects.equals(o.name, name) && o.g == g))) {
      return; // the same slice goes on
    }
    if (o.kind != Kind.NONE) {
      close(pid, tid, o, Math.max(t, o.start));
    }
    o.kind = kind;
    o.name = name;
    o.g = g;
    o.start = Math.max(t, o.start);
    o.startInWindow = inWindow();
  }

  private void close(int pid, int tid, Open o, long t) {
    Kind kind = o.kind;
    o.kind = Kind.NONE;
    if (kind == Kind.NONE) {
      return;
    }
    long s = o.start;
    boolean before = !o.startInWindow;
    if (before && (s > to || t <= from)) {
      return; // wholly outside the window
    }
    boolean after = t > to && s <= to;
    long ts = before ? Math.max(s, from) : s;
    long te = after ? to : t;
    add(new Event('X', ts, Math.max(0, te - ts), pid, tid, kind, o.name, o.g, null, before, after, 0));
  }

  private void instant(int pid, int tid, long t, String name, String detail, Kind kind) {
    if (inWindow()) {
      add(new Event('i', t, 0, pid, tid, kind, name, -1, detail, false, false, 0));
    }
  }

  private void counter(int slot, long t, String name, long value) {
    if (lastCounters[slot] == value) {
      return;
    }
    lastCounters[slot] = value;
    add(new Event('C', t, 0, PID_SCHED, 0, Kind.COUNTER, name, value, null, false, false, 0));
  }

  private void add(Event e) {
    if (events.size() >= maxEvents) {
      leftOut++;
      if (firstLeftOutAt < 0) {
        firstLeftOutAt = e.ts();
      }
      return;
    }
    events.add(new Event(e.ph(), e.ts(), e.dur(), e.pid(), e.tid(), e.kind(), e.name(), e.g(),
        e.detail(), e.beganBefore(), e.endedAfter(), seq++));
  }
}
