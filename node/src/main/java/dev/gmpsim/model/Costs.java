package dev.gmpsim.model;

import dev.gmpsim.protocol.scenario.CostTable;
import java.util.SplittableRandom;

/** The scenario's cost table, sampled with the run's seeded random source. */
final class Costs {
  private final CostTable t;
  private final SplittableRandom rng;

  Costs(CostTable table, SplittableRandom rng) {
    this.t = table;
    this.rng = rng;
  }

  long syscall() { return t.syscall().sample(rng); }

  long entersyscall() { return t.entersyscall().sample(rng); }

  long exitsyscallfast() { return t.exitsyscallfast().sample(rng); }

  long exitsyscall0() { return t.exitsyscall0().sample(rng); }

  /** newm: clone and the new thread reaching mstart. */
  long newm() { return t.newm().sample(rng); }

  /** notewakeup until the woken thread runs. */
  long futexWake() { return t.futexWake().sample(rng); }

  long futexPark() { return t.futexPark().sample(rng); }

  long cgoCall() { return t.cgoCall().sample(rng); }

  long vdso() { return t.vdso().sample(rng); }

  long vdsoFallback() { return t.vdsoFallback().sample(rng); }

  /** How much later than asked a short sleep (usleep, epoll_wait timeout) returns. */
  long timerSlack() { return t.timerSlack().sample(rng); }

  long netpoll() { return t.netpoll().sample(rng); }

  long schedule() { return t.schedule().sample(rng); }

  long steal() { return t.steal().sample(rng); }

  long newproc() { return t.newproc().sample(rng); }

  long gopark() { return t.gopark().sample(rng); }

  long netSyscall() { return t.netSyscall().sample(rng); }
}
