package dev.gmpsim.model;

/**
 * A goroutine: data, not an actor. It is moved between run queues, Ms, the netpoller and channel
 * wait queues exactly as the runtime moves a *g; whoever holds it may change it, and
 * {@link #place}/{@link #take} check that it is in exactly one place at a time.
 */
public final class G {
  /** Goroutine statuses, named as in runtime2.go. */
  public enum Status {
    _Grunnable(1),
    _Grunning(2),
    _Gsyscall(3),
    _Gwaiting(4),
    _Gdead(6);

    /** The value runtime2.go gives it (what scheddetail prints). */
    public final int code;

    Status(int code) {
      this.code = code;
    }
  }

  /** Where the G is. TRANSIT means inside a message between actors. */
  public enum Where {
    TRANSIT,
    LOCAL_RUNQ,
    GLOBAL_RUNQ,
    ON_M,
    NETPOLL,
    NETPOLL_READY,
    TIMER,
    CHAN,
    BLOCKED,
    DEAD
  }

  private static final class Frame {
    final Op[] ops;
    int pc;
    int left; // remaining iterations after this one; -1 forever
    final long deadline; // no pass starts at or after it
    final Frame parent;
    final Op.Loop loop; // null for the program itself

    Frame(Op[] ops, int left, long deadline, Frame parent, Op.Loop loop) {
      this.ops = ops;
      this.left = left;
      this.deadline = deadline;
      this.parent = parent;
      this.loop = loop;
    }
  }

  public final long id;
  public final boolean system;
  public Status status = Status._Grunnable;
  public Where where = Where.TRANSIT;
  public String waitReason = "";
  /** The M this G is locked to (LockOSThread), or -1. */
  public int lockedm = -1;
  public akka.actor.typed.ActorRef<M.Command> lockedmRef;
  /** Nesting counts of LockOSThread (m.lockedExt) and the runtime's own lockOSThread (lockedInt). */
  int lockedExt;
  int lockedInt;
  /** When it last became runnable, for scheduling latency; -1 if not waiting for a P. */
  public long runnableSince = -1;
  /** Start of the request it is serving, or -1. */
  public long requestStart = -1;
  /** When an open-loop peer sends its next request (net-read every), or -1 before the first. */
  long nextArrival = -1;
  /** The P whose timer heap its sleep is on (set by Netpoller), or -1. */
  int timerP = -1;
  /** When its descriptor last became ready. */
  public long lastReady = -1;
  /** Compute left over from a preemption, run before the next op. */
  public long pendingCompute;
  /** Set while parked in a socket read: the read syscall is retried on wake-up. */
  public boolean rereadPending;
  /** The pending read starts a request (its data's arrival is the request's start). */
  public boolean startsRequest;
  /** In the netpoller's ready list because its descriptor (not a timer) became ready. */
  boolean fromFd;
  /** Its index in its group (the i-th goroutine or connection started), inherited by what it spawns. */
  int index;
  /** How many indexed goroutines it has started (a group's launcher). */
  int spawned;
  /** The pipe whose read lock it holds while parked reading it, or null (see PipeSteps). */
  Pipe pipe;
  /** Counts its pipe parks, so a deadline timer or readiness of an earlier park is known stale. */
  int pipeSeq;
  /** Why it left its last pipe park: 0 not woken, 1 data or EOF (read again), 2 error (closed, deadline). */
  int pipeWake;
  /** When it parked on its pipe (wake-ups from Ms running ahead in virtual time wait for it). */
  long pipeParkedAt;
  /** What its pending pipe read does on an error. */
  dev.gmpsim.protocol.scenario.Step.OnError pipeOnError;
  /** An op to run again when it wakes (a read that waited for the read lock), or null. */
  Op retry;
  /** A ticker-paced peer: the ticker's first tick and the last request sent (-1 before). */
  long tickBase = -1;
  long tickLast = -1;
  /** M id running it, for scheddetail. */
  public int m = -1;
  /** A gcBgMarkWorker goroutine, and the mode its P runs it in (GcController.DEDICATED...). */
  boolean gcWorker;
  int gcMode;
  /** The worker's current mark slice (0: none) and when it began. */
  long gcSliceNs;
  long gcSliceAt;
  /** The workload group that started it, for trace names (set only while a trace is recorded). */
  String group;
  private Frame frame;

  G(long id, boolean system, Op[] program) {
    this.id = id;
    this.system = system;
    this.frame = new Frame(program, 0, Long.MAX_VALUE, null, null);
  }

  /** The next op to run, unrolling loops; null when the program has ended. */
  /** The next op to run at virtual time {@code now} (loops with a deadline look at it). */
  Op next(long now) {
    while (frame != null) {
      if (frame.pc < frame.ops.length) {
        Op op = frame.ops[frame.pc++];
        if (op instanceof Op.Loop loop) {
          long deadline = Long.MAX_VALUE;
          if (loop.until() >= 0) {
            deadline = loop.until();
          }
          if (loop.forNs() >= 0) {
            deadline = Math.min(deadline, now + loop.forNs());
          }
          if (now < deadline && !loop.stopped()) {
            frame = new Frame(loop.body(), loop.count() == 0 ? -1 : loop.count() - 1, deadline, frame, loop);
          }
          continue;
        }
        return op;
      }
      if (frame.left != 0 && frame.parent != null && now < frame.deadline
          && (frame.loop == null || !frame.loop.stopped())) {
        if (frame.left > 0) {
          frame.left--;
        }
        frame.pc = 0;
        continue;
      }
      frame = frame.parent;
    }
    return null;
  }

  /**
   * {@code break}: leaves the innermost scenario loop (frames of calls and file reads inside it
   * go too); outside any loop the program ends, as a {@code return}.
   */
  void breakLoop() {
    while (frame != null && (frame.loop == null || !frame.loop.user())) {
      frame = frame.parent;
    }
    if (frame != null) {
      frame = frame.parent;
    }
  }

  /** Records that {@code holder} now holds this G; it must have been in transit. */
  void place(Where w, RunStats stats) {
    if (where != Where.TRANSIT) {
      stats.violation("G" + id + " put in " + w + " while still in " + where);
    }
    where = w;
    stats.placed(w, 1);
  }

  /** Records that this G leaves {@code w}; it must have been there. */
  void take(Where w, RunStats stats) {
    if (where != w) {
      stats.violation("G" + id + " taken from " + w + " but it is in " + where);
    }
    where = Where.TRANSIT;
    stats.placed(w, -1);
  }

  @Override
  public String toString() {
    return "G" + id;
  }
}
