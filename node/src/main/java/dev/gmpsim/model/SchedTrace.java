package dev.gmpsim.model;

/**
 * GODEBUG=schedtrace (and scheddetail) lines in the runtime's own format, printed by sysmon as
 * proc.go's schedtrace() does: "SCHED 0ms" at the first line, needspinning from Go 1.21. In
 * scheddetail, Ms are listed newest first (allm is a list new Ms are pushed onto); gcwaiting and
 * sysmonwait print as booleans from Go 1.20 (atomic.Bool), and a missing M, G or P as "nil"
 * instead of -1 from Go 1.21 (as Go 1.22 and 1.23 print them). Go 1.26 spaces the run queue
 * lengths ({@code [ 0 0 ]}) and adds {@code schedticks=[ ... ]}, and shows a P in a syscall as
 * running and held by the thread in the syscall (see {@link SyscallPath}).
 */
final class SchedTrace {
  private final RunContext run;
  private final Atomics a;
  private final SyscallPath path;
  private long starttime = -1;

  SchedTrace(RunContext run) {
    this.run = run;
    this.a = run.atomics;
    this.path = SyscallPath.of(run.runtime);
  }

  void print(long now) {
    if (starttime < 0) {
      starttime = now;
    }
    StringBuilder b = new StringBuilder(128);
    b.append("SCHED ").append((now - starttime) / 1_000_000).append("ms: gomaxprocs=")
        .append(a.gomaxprocs())
        .append(" idleprocs=").append(a.npidle)
        .append(" threads=").append(a.mcount)
        .append(" spinningthreads=").append(a.nmspinning);
    if (run.goMinor >= 21) {
      b.append(" needspinning=").append(a.needspinning ? 1 : 0);
    }
    b.append(" idlethreads=").append(a.nmidle)
        .append(" runqueue=").append(a.runqsize);
    if (run.scheddetail) {
      boolean bools = run.goMinor >= 20;
      b.append(" gcwaiting=").append(bools ? String.valueOf(a.gcwaiting) : a.gcwaiting ? "1" : "0")
          .append(" nmidlelocked=").append(a.nmidlelocked)
          .append(" stopwait=").append(a.stopwait).append(" sysmonwait=")
          .append(bools ? String.valueOf(a.sysmonwait) : a.sysmonwait ? "1" : "0");
      run.stats.schedtraceLine(b.toString());
      detail();
      return;
    }
    if (run.goMinor >= 26) {
      b.append(" [");
      for (int i = 0; i < a.gomaxprocs(); i++) {
        b.append(' ').append(a.pRunqLen[i]);
      }
      b.append(" ] schedticks=[ ");
      for (int i = 0; i < a.gomaxprocs(); i++) {
        b.append(a.pSchedtick[i]).append(' ');
      }
      b.append(']');
      run.stats.schedtraceLine(b.toString());
      return;
    }
    for (int i = 0; i < a.gomaxprocs(); i++) {
      b.append(i == 0 ? " [" : " ").append(a.pRunqLen[i]);
    }
    b.append(']');
    run.stats.schedtraceLine(b.toString());
  }

  private void detail() {
    // One snapshot, as the runtime's under sched.lock: an M's p is read from the P that holds it,
    // not from the M's own view, which lags while an Execute or Resume is on its way.
    java.util.Map<Integer, Integer> heldBy = new java.util.HashMap<>();
    int[] shownM = new int[a.gomaxprocs()];
    for (int i = 0; i < a.gomaxprocs(); i++) {
      shownM[i] = path.shownM(a.pStatus[i], a.pM[i], a.pSyscallM[i]);
      if (shownM[i] >= 0) {
        heldBy.put(shownM[i], i);
      }
    }
    for (int i = 0; i < a.gomaxprocs(); i++) {
      run.stats.schedtraceLine(
          "  P" + i + ": status=" + path.shownStatus(a.pStatus[i]) + " schedtick=" + a.pSchedtick[i]
              + " syscalltick=" + a.pSyscalltick[i] + " m=" + id(shownM[i])
              + " runqsize=" + a.pRunqLen[i] + " gfreecnt=0 timerslen=0");
    }
    for (int i = run.ms.size() - 1; i >= 0; i--) {
      MView m = run.ms.get(i);
      if (m.dead) {
        continue;
      }
      run.stats.schedtraceLine(
          "  M" + m.id + ": p=" + id(heldBy.getOrDefault(m.id, -1)) + " curg=" + id(m.curg)
              + " mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=" + m.spinning
              + " blocked=" + m.blocked + " lockedg=" + id(m.lockedg));
    }
    for (G g : run.allgs.values()) {
      run.stats.schedtraceLine(
          "  G" + g.id + ": status=" + g.status.code + "(" + g.waitReason + ") m=" + id(g.m)
              + " lockedm=" + id(g.lockedm));
    }
  }

  /** An M, G or P id, or none: -1 up to Go 1.20, "nil" from Go 1.21. */
  private String id(long v) {
    return v >= 0 ? Long.toString(v) : run.goMinor >= 21 ? "nil" : "-1";
  }
}
