package dev.gmpsim.model;

/**
 * GODEBUG=schedtrace (and scheddetail) lines in the runtime's own format, printed by sysmon as
 * proc.go's schedtrace() does: "SCHED 0ms" at the first line, needspinning from Go 1.21.
 */
final class SchedTrace {
  private final RunContext run;
  private final Atomics a;
  private long starttime = -1;

  SchedTrace(RunContext run) {
    this.run = run;
    this.a = run.atomics;
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
    if (run.runtime.goMinor() >= 21) {
      b.append(" needspinning=").append(a.needspinning ? 1 : 0);
    }
    b.append(" idlethreads=").append(a.nmidle)
        .append(" runqueue=").append(a.runqsize);
    if (run.scheddetail) {
      b.append(" gcwaiting=0 nmidlelocked=").append(a.nmidlelocked)
          .append(" stopwait=0 sysmonwait=").append(a.sysmonwait ? 1 : 0);
      run.stats.schedtraceLine(b.toString());
      detail();
      return;
    }
    for (int i = 0; i < a.gomaxprocs(); i++) {
      b.append(i == 0 ? " [" : " ").append(a.pRunqLen[i]);
    }
    b.append(']');
    run.stats.schedtraceLine(b.toString());
  }

  private void detail() {
    for (int i = 0; i < a.gomaxprocs(); i++) {
      run.stats.schedtraceLine(
          "  P" + i + ": status=" + a.pStatus[i] + " schedtick=" + a.pSchedtick[i]
              + " syscalltick=" + a.pSyscalltick[i] + " m=" + a.pM[i]
              + " runqsize=" + a.pRunqLen[i] + " gfreecnt=0 timerslen=0");
    }
    for (MView m : run.ms) {
      if (m.dead) {
        continue;
      }
      run.stats.schedtraceLine(
          "  M" + m.id + ": p=" + m.p + " curg=" + m.curg
              + " mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=" + m.spinning
              + " blocked=" + m.blocked + " lockedg=" + m.lockedg);
    }
    for (G g : run.allgs.values()) {
      run.stats.schedtraceLine(
          "  G" + g.id + ": status=" + g.status.code + "(" + g.waitReason + ") m=" + g.m
              + " lockedm=" + g.lockedm);
    }
  }
}
