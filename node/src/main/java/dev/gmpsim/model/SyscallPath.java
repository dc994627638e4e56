package dev.gmpsim.model;

import dev.gmpsim.protocol.scenario.RuntimeSpec;

/**
 * How the runtime marks a P whose goroutine is in a system call. The scheduler's decisions are
 * the same on both paths (sysmon retakes after two rounds with the same exemptions, handoffp,
 * a returning M takes its old P back even from another thread's syscall, then an idle P, then
 * stops), so the model's P keeps one internal state for "in a syscall"; what the paths change is
 * what the runtime shows of it and what it costs.
 */
enum SyscallPath {
  /**
   * Go 1.19-1.25: entersyscall sets the P to {@code _Psyscall} and unwires it ({@code pp.m = 0},
   * {@code m.p = 0}, {@code m.oldp = pp}); exitsyscallfast wins it back with a CAS to
   * {@code _Pidle}, sysmon's retake with the same CAS.
   */
  PSYSCALL,
  /**
   * Go 1.26 ("runtime: eliminate _Psyscall", proc.go's reentersyscall): the P stays
   * {@code _Prunning} and wired to its M; "in a syscall" is the G's {@code _Gsyscall}. Whoever
   * takes the P (retake, stop-the-world) first takes the G's scan bit and checks the links
   * (setBlockOnExitSyscall), then releaseP: {@code _Pidle}, {@code syscalltick++}. exitsyscall's
   * fast path is a CAS on the G's status that leaves the P alone while {@code m.p} is set;
   * otherwise exitsyscallTryGetP takes the old P back (again through its G's scan bit, if another
   * thread's syscall holds it) or an idle one, else exitsyscallNoP.
   */
  GSYSCALL;

  static SyscallPath of(RuntimeSpec runtime) {
    return runtime.goMinor() >= 26 ? GSYSCALL : PSYSCALL;
  }

  /** The P status the runtime would print (scheddetail's {@code status=}) for the model's one. */
  int shownStatus(int status) {
    return this == GSYSCALL && status == P._Psyscall ? P._Prunning : status;
  }

  /**
   * The M the runtime would show holding the P: under _Psyscall none, under Go 1.26 the thread in
   * the syscall, which keeps {@code m.p} until someone takes the P.
   */
  int shownM(int status, int heldBy, int inSyscall) {
    return this == GSYSCALL && status == P._Psyscall ? inSyscall : heldBy;
  }
}
