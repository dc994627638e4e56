package dev.gmpsim.model;

import dev.gmpsim.protocol.scenario.Step;

/**
 * Reads, writes and closes of a {@link Pipe}, for the M running the goroutine, as internal/poll
 * and the netpoller do them for an os.Pipe:
 *
 * <ul>
 *   <li>a read takes fd.readLock (a second reader waits on its semaphore), makes the read
 *       syscall, and with nothing there parks on the netpoller ("IO wait", pollDesc.waitRead);
 *   <li>a write makes the write syscall; a parked reader becomes readable, which the netpoller
 *       reports at its next poll (netpollready), not at once;
 *   <li>closing the read end (r.Close() from another goroutine) evicts the parked reader: it is
 *       readied at once (netpollunblock, goready on the closer's P) and its read fails, as do the
 *       readers waiting for the lock (increfAndClose wakes them all);
 *   <li>closing the write end makes the reader's descriptor readable (EPOLLHUP): it reads what
 *       is left, then EOF;
 *   <li>a read deadline is a timer on the reader's P (netpolldeadlineimpl): when it fires first
 *       the reader is readied with os.ErrDeadlineExceeded.
 * </ul>
 *
 * A read that fails does what its step says (on-error: continue, break or exit).
 */
final class PipeSteps {
  static final int WOKEN_DATA = 1;
  static final int WOKEN_ERROR = 2;

  /** What PipeSteps needs from the M running the goroutine. */
  interface Host {
    long quickSyscall(long t, String name, long d);

    /** goready on the M's P: runnext, wakep. */
    void ready(long t, G g);

    int pid();

    void toNetpoller(Netpoller.Command c);
  }

  private final RunContext run;
  private final Host host;
  /** Set by a step that parks the goroutine: the wait reason, and where it waits. */
  String park;
  G.Where parkIn;
  /** Set by a failed read whose goroutine returns (on-error: exit, or break outside any loop). */
  boolean exit;

  PipeSteps(RunContext run, Host host) {
    this.run = run;
    this.host = host;
  }

  /** Runs {@code op} for {@code g} from {@code t}; returns the time it ends (see park, exit). */
  long run(long t, G g, Op.PipeOp op) {
    park = null;
    exit = false;
    if (op instanceof Op.PipeWrite w) {
      return write(t, pipe(g, w.pipe(), w.count()));
    } else if (op instanceof Op.PipeClose c) {
      return close(t, pipe(g, c.pipe(), c.count()), c.writeEnd());
    }
    return read(t, g, (Op.PipeRead) op);
  }

  /** The goroutine's own pipe of a name declared with {@code count} of them. */
  private Pipe pipe(G g, int first, int count) {
    return run.pipes.get(first + g.index % count);
  }

  private long write(long t, Pipe p) {
    if (p.writeClosed) {
      return t; // os.ErrClosed from fd.writeLock, before any syscall
    }
    t = host.quickSyscall(t, "write", run.cost.netSyscall());
    if (p.closed) {
      return t; // EPIPE: nobody reads the other end any more
    }
    p.buffered++;
    readable(t, p);
    return t;
  }

  /** The read end's descriptor became readable: a parked reader is reported at the next netpoll. */
  private void readable(long t, Pipe p) {
    if (p.parked && !p.notified) {
      p.notified = true;
      G r = p.reader;
      host.toNetpoller(new Netpoller.PipeReady(Math.max(t, r.pipeParkedAt), r, r.pipeSeq));
    }
  }

  private long close(long t, Pipe p, boolean writeEnd) {
    if (writeEnd ? p.writeClosed : p.closed) {
      return t; // a second Close returns os.ErrClosed
    }
    t = host.quickSyscall(t, "close", run.cost.netSyscall());
    if (writeEnd) {
      p.writeClosed = true;
      readable(t, p);
      return t;
    }
    p.closed = true;
    if (p.parked) {
      // pollDesc.evict: netpollunblock and netpollgoready, here and now.
      G r = p.reader;
      p.parked = false;
      r.pipeSeq++;
      r.pipeWake = WOKEN_ERROR;
      r.take(G.Where.NETPOLL, run.stats);
      run.atomics.netpollWaiters--;
      r.lastReady = Math.max(t, r.pipeParkedAt);
      host.ready(r.lastReady, r);
    }
    for (G w = p.lockq.poll(); w != null; w = p.lockq.poll()) {
      w.take(G.Where.CHAN, run.stats);
      host.ready(t, w); // they retry their read and find the pipe closed
    }
    return t;
  }

  private long read(long t, G g, Op.PipeRead op) {
    Pipe p = pipe(g, op.pipe(), op.count());
    if (p.closed) {
      return failed(t, g, op.onError()); // ErrFileClosing from fd.readLock
    }
    if (p.reader != null && p.reader != g) {
      p.lockq.addLast(g);
      g.retry = op;
      park = "semacquire";
      parkIn = G.Where.CHAN;
      return t + run.cost.gopark();
    }
    long deadline = op.deadline() == null ? -1 : t + Math.max(0, op.deadline().sample(run.rng));
    p.reader = g;
    t = host.quickSyscall(t, "read", run.cost.netSyscall());
    if (p.buffered > 0) {
      p.buffered = 0;
      return unlock(t, p);
    }
    if (p.writeClosed) {
      return failed(unlock(t, p), g, op.onError()); // EOF
    }
    if (deadline >= 0 && deadline <= t) {
      return failed(unlock(t, p), g, op.onError()); // the deadline passed during the read
    }
    // EAGAIN: pollDesc.waitRead parks it on the netpoller.
    p.parked = true;
    p.notified = false;
    g.pipe = p;
    g.pipeSeq++;
    g.pipeWake = 0;
    g.pipeParkedAt = t;
    g.pipeOnError = op.onError();
    run.atomics.netpollInited = true;
    run.atomics.netpollWaiters++;
    if (deadline >= 0) {
      host.toNetpoller(new Netpoller.PipeDeadline(t, g, deadline, g.pipeSeq, host.pid()));
    }
    park = "IO wait";
    parkIn = G.Where.NETPOLL;
    return t;
  }

  /** The goroutine runs again after its pipe park: reads again, or fails. */
  long woken(long t, G g) {
    park = null;
    exit = false;
    Pipe p = g.pipe;
    int why = g.pipeWake;
    g.pipe = null;
    g.pipeWake = 0;
    boolean ok = false;
    if (why == WOKEN_DATA) {
      t = host.quickSyscall(t, "read", run.cost.netSyscall());
      ok = p.buffered > 0 || (!p.writeClosed && !p.closed);
      p.buffered = 0;
    }
    t = unlock(t, p);
    return ok ? t : failed(t, g, g.pipeOnError);
  }

  /** fd.readUnlock: the next reader waiting for the lock is readied (semrelease). */
  private long unlock(long t, Pipe p) {
    p.reader = null;
    G next = p.lockq.poll();
    if (next != null) {
      next.take(G.Where.CHAN, run.stats);
      host.ready(t, next);
    }
    return t;
  }

  private long failed(long t, G g, Step.OnError onError) {
    if (onError == Step.OnError.EXIT) {
      exit = true;
    } else if (onError == Step.OnError.BREAK) {
      g.breakLoop();
    }
    return t;
  }
}
