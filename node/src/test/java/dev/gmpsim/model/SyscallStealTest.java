package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * exitsyscallfast takes its old P if the P is in _Psyscall, whoever's syscall it is in (proc.go:
 * {@code oldp.status == _Psyscall && atomic.Cas(&oldp.status, _Psyscall, _Pidle)}); the M whose
 * syscall it was then finds the P gone. Each such return bumps syscalltick, so when returns come
 * faster than sysmon's rounds, sysmon never sees one syscall twice and retakes nothing: the
 * state workload C falls into in some seeds, and real Go in some runs (calibration, case m).
 * Timer slack is 0: sysmon's rounds are at 20us steps, doubling after 1.02ms up to 10ms.
 */
class SyscallStealTest extends ModelTest {

  private static final class Setup {
    final ModelHarness h;
    final TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> scheds = kit.createTestProbe(Msg.class);
    final ActorRef<M.Command> m0;
    final ActorRef<M.Command> m1;
    final ActorRef<M.Command> m2;
    final ActorRef<P.Command> p0;
    final G g;

    Setup(long end) {
      h = new ModelHarness(kit, ModelHarness.exact(1, ""), end, 0).withClock();
      m0 = h.stub(ms, "m0");
      m1 = h.stub(ms, "m1");
      m2 = h.stub(ms, "m2");
      p0 = h.realP(0);
      h.run.sched = h.stub(scheds, "sched");
      h.realSysmon();
      h.run.atomics.npidle = 0;
      h.run.atomics.nmspinning = 0;
      g = h.g(new Op.Block("x"));
      h.at(p0, new P.Acquire(0, m0, 0, false, g, false, null));
      // Work waits on P0 all along: nothing exempts its syscalls from retake.
      h.at(p0, new P.RunqPut(1_000, h.g(new Op.Block("q")), false));
      h.at(h.run.sysmon, Sysmon.firstTick(h.run));
    }

    long retakes() {
      assertEquals("ok", h.awaitEnd().outcome());
      List<Sched.Handoff> hs = ModelHarness.only(ModelHarness.drain(scheds), Sched.Handoff.class);
      return hs.size();
    }
  }

  @Test
  void aReturningMTakesThePOfAnotherMsSyscallAndThatMGoesTheSlowWay() {
    Setup s = new Setup(1_000_000);
    s.h.at(s.p0, new P.EnterSyscall(105_000, 0, false, "cgo"));
    // m1 entered its syscall on P0 earlier (oldp = P0) and is back first, before any sysmon round.
    s.h.at(s.p0, new P.ExitSyscall(115_000, s.m1, 1, s.h.g(new Op.Block("g1"))));
    s.h.at(s.p0, new P.ExitSyscall(300_000, s.m0, 0, s.g));
    s.h.start();
    assertEquals(0, s.retakes(), "m1 took the P before sysmon's round at 120us saw the syscall");
    assertEquals(1, s.h.run.stats.counter(Counter.EXITSYSCALL_FAST));
    assertEquals(1, s.h.run.atomics.pSyscalltick[0], "the fast path bumps syscalltick");
    assertEquals(P._Prunning, s.h.run.atomics.pStatus[0]);
    assertEquals(1, s.h.run.atomics.pM[0], "P0 is m1's now");
    List<Msg> toSched = ModelHarness.drain(s.scheds);
    assertEquals(List.of(), toSched, "already drained by retakes()");
  }

  @Test
  void m0FindsItsPTakenAndAsksSchedForTheSlowPath() {
    Setup s = new Setup(1_000_000);
    s.h.at(s.p0, new P.EnterSyscall(105_000, 0, false, "cgo"));
    s.h.at(s.p0, new P.ExitSyscall(115_000, s.m1, 1, s.h.g(new Op.Block("g1"))));
    s.h.at(s.p0, new P.ExitSyscall(300_000, s.m0, 0, s.g));
    s.h.start();
    assertEquals("ok", s.h.awaitEnd().outcome());
    List<Sched.ExitSyscallSlow> slow =
        ModelHarness.only(ModelHarness.drain(s.scheds), Sched.ExitSyscallSlow.class);
    assertEquals(1, slow.size());
    assertEquals(0, slow.get(0).mid());
    assertEquals(300_000, slow.get(0).at());
  }

  /**
   * Ms returning every 1ms keep P0 in fresh syscalls; sysmon, backed off to 10ms, never retakes.
   * Each returning M runs its G, then schedule() picks a queued G (schedtick moves, as in the
   * server: otherwise the 10ms time-slice rule would retake) which enters the next syscall.
   */
  @Test
  void returnsFasterThanSysmonsRoundsHideEverySyscallFromRetake() {
    Setup s = new Setup(100_000_000);
    for (int i = 0; i < 100; i++) {
      s.h.at(s.p0, new P.RunqPut(2_000, s.h.g(new Op.Block("q" + i)), false));
    }
    // Sysmon backs off while P0 runs Go code for 20ms, then P0 is always in some M's syscall.
    s.h.at(s.p0, new P.EnterSyscall(20_000_000, 0, false, "cgo"));
    for (int k = 0; k < 79; k++) {
      long t = 21_000_000L + k * 1_000_000L;
      boolean odd = k % 2 == 1;
      s.h.at(s.p0, new P.ExitSyscall(t, odd ? s.m2 : s.m1, odd ? 2 : 1, s.h.g(new Op.Block("r"))));
      s.h.at(s.p0, new P.Schedule(t + 5_000, odd ? 2 : 1));
      s.h.at(s.p0, new P.EnterSyscall(t + 10_000, odd ? 2 : 1, false, "cgo"));
    }
    s.h.start();
    assertEquals(0, s.retakes(), "every round saw a new syscalltick");
    assertTrue(s.h.run.stats.counter(Counter.SYSMON_TICKS) > 50 + 8, "sysmon ran, backed off to 10ms rounds");
    assertEquals(79, s.h.run.stats.counter(Counter.EXITSYSCALL_FAST));
  }

  /** The invariant behind it: a P with queued work seen in one syscall on two rounds is retaken. */
  @Test
  void withoutReturnsTheSameSyscallIsRetakenAtTheSecondRoundThatSeesIt() {
    Setup s = new Setup(100_000_000);
    s.h.at(s.p0, new P.EnterSyscall(20_000_000, 0, false, "cgo"));
    s.h.start();
    long n = s.retakes();
    assertEquals(1, n, "ticks " + s.h.run.stats.counter(Counter.SYSMON_TICKS) + " retakes " + s.h.run.stats.counter(Counter.RETAKES) + " status " + s.h.run.atomics.pStatus[0] + " waits " + s.h.run.stats.counter(Counter.SYSMON_WAITS));
    assertTrue(s.h.run.stats.counter(Counter.SYSMON_TICKS) > 50);
  }
}
