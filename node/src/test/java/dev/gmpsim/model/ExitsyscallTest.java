package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * exitsyscall: exitsyscallfast on the old P (the CAS on _Psyscall), exitsyscallfast_pidle (any
 * idle P), exitsyscall0 (G to the global queue, stopm, or stoplockedm for a locked G); and
 * entersyscallblock, which hands the P off at once. A real P0 held by the stub M m0, which enters
 * a syscall at 100us and is back at 300us; sysmon's retake is sent by hand at 150us (the stub
 * sysmon takes the RetakeResult). Costs: exitsyscallfast 40ns, exitsyscall0 1us, futex 5us/1us.
 */
class ExitsyscallTest extends ModelTest {

  private static final class Setup {
    final ModelHarness h;
    final TestProbe<Msg> m0s = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> m7s = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> sysmons = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> scheds = kit.createTestProbe(Msg.class);
    final ActorRef<M.Command> m0;
    final ActorRef<M.Command> m7;
    final ActorRef<P.Command> p0;
    final G g;
    final Atomics a;

    /**
     * GOMAXPROCS {@code procs} with P1.. as stubs; a real Sched with an idle stub M (m7, parked
     * at 10us) when {@code realSched}, else a stub Sched.
     */
    Setup(int procs, boolean realSched, boolean block) {
      h = new ModelHarness(kit, ModelHarness.exact(procs, ""), 1_000_000, 0).withClock();
      m0 = h.stub(m0s, "m0");
      m7 = h.stub(m7s, "m7");
      p0 = h.realP(0);
      for (int i = 1; i < procs; i++) {
        h.run.allp.set(i, h.stub(ps, "p" + i));
      }
      h.run.sysmon = h.stub(sysmons, "sysmon");
      if (realSched) {
        h.realSched(8);
        h.at(h.run.sched, new Sched.Stopm(10_000, m7, 7));
      } else {
        h.run.sched = h.stub(scheds, "sched");
      }
      a = h.run.atomics;
      g = h.g(new Op.Block("x"));
      h.at(p0, new P.Acquire(0, m0, 0, false, g, false, null));
      h.at(p0, new P.EnterSyscall(100_000, 0, block, "read"));
      h.at(p0, new P.ExitSyscall(300_000, m0, 0, g));
    }

    Setup retakeAt(long t) {
      h.at(p0, new P.Retake(t, 0));
      return this;
    }

    /** What m0 got after the Execute of g. */
    List<Msg> run() {
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
      List<Msg> got = ModelHarness.drain(m0s);
      assertEquals(new M.Execute(150, g, p0, 0, 1), got.get(0));
      return got.subList(1, got.size());
    }
  }

  @Test
  void fastPathResumesOnTheOldP() {
    Setup s = new Setup(1, false, false);
    assertEquals(List.of(new M.Resume(300_040, s.p0, 0)), s.run());
    assertEquals(1, s.h.run.stats.counter(Counter.EXITSYSCALL_FAST));
    assertEquals(0, s.h.run.stats.counter(Counter.EXITSYSCALL_SLOW));
    assertEquals(P._Prunning, s.a.pStatus[0]);
    assertEquals(0, s.a.pM[0]);
    assertEquals(1, s.a.pSyscalltick[0], "exitsyscall bumps syscalltick");
    assertEquals(List.of(), ModelHarness.drain(s.scheds), "Sched is not involved");
  }

  @Test
  void aRetakeAfterTheReturnLosesTheRace() {
    Setup s = new Setup(1, false, false).retakeAt(300_000);
    // Both at 300us: the ExitSyscall was sent first and wins the CAS; the retake for
    // syscalltick 0 then finds _Prunning and fails.
    assertEquals(List.of(new M.Resume(300_040, s.p0, 0)), s.run());
    assertEquals(List.of(new Sysmon.RetakeResult(300_000, 0)), ModelHarness.drain(s.sysmons));
    assertEquals(0, s.h.run.stats.counter(Counter.RETAKES));
  }

  @Test
  void retakenButAnIdlePExistsTakesItWithExitsyscallfastPidle() {
    Setup s = new Setup(2, true, false).retakeAt(150_000);
    s.a.sysmonwait = true;
    List<Msg> toM0 = s.run();
    assertEquals(List.of(), toM0, "m0 hears from its new P, not from Sched");
    // handoffp of P0 (the last running P, nobody polling) started m7 on it; m0 comes back to a
    // retaken P0 and pidleget hands it P1: acquirep with m0's own G to resume.
    assertEquals(
        List.of(new M.Stopped(11_000), new M.Start(155_000, s.p0, 0, false)), ModelHarness.drain(s.m7s));
    assertEquals(
        List.of(new P.Acquire(300_000, s.m0, 0, false, s.g, true, null)), ModelHarness.drain(s.ps));
    assertEquals(1, s.h.run.stats.counter(Counter.EXITSYSCALL_FAST));
    assertEquals(0, s.h.run.stats.counter(Counter.EXITSYSCALL_SLOW));
    assertEquals(0, s.a.npidle);
    // entersyscall woke the sleeping sysmon, and so does exitsyscallfast_pidle.
    List<Msg> toSysmon = ModelHarness.drain(s.sysmons);
    assertEquals(
        List.of(new Sysmon.Wake(100_000), new Sysmon.RetakeResult(150_000, 1), new Sysmon.Wake(300_000)),
        toSysmon);
  }

  @Test
  void noIdlePQueuesTheGGloballyAndStopsTheM() {
    Setup s = new Setup(1, true, false).retakeAt(150_000);
    // exitsyscall0: no P; the G waits in the global queue, m0 parks on midle (no wakep).
    assertEquals(List.of(new M.Stopped(301_000)), s.run());
    // handoffp of P0 (no work, nobody spinning, no idle P) gave it to m7, spinning.
    assertEquals(
        List.of(new M.Stopped(11_000), new M.Start(155_000, s.p0, 0, true)), ModelHarness.drain(s.m7s));
    assertEquals(1, s.h.run.stats.counter(Counter.EXITSYSCALL_SLOW));
    assertEquals(0, s.h.run.stats.counter(Counter.EXITSYSCALL_FAST));
    assertEquals(1, s.a.runqsize);
    assertEquals(G.Where.GLOBAL_RUNQ, s.g.where);
    assertEquals(G.Status._Grunnable, s.g.status);
    assertEquals(1, s.a.nmidle, "m0 on midle");
    assertEquals(0, s.h.run.stats.counter(Counter.WAKEPS));
    assertEquals(1, s.a.nmspinning, "only m7's spinning; exitsyscall0 does not wakep");
  }

  @Test
  void noIdlePWithALockedGMakesTheMWaitForIt() {
    Setup s = new Setup(1, true, false).retakeAt(150_000);
    s.g.lockedm = 0;
    s.g.lockedmRef = s.m0;
    // stoplockedm: the M waits for its G instead of parking on midle.
    assertEquals(List.of(new M.LockedWait(301_000)), s.run());
    assertEquals(1, s.h.run.stats.counter(Counter.EXITSYSCALL_SLOW));
    assertEquals(G.Where.GLOBAL_RUNQ, s.g.where);
    assertEquals(0, s.a.nmidle, "m7 was taken, m0 is not on midle");
  }

  @Test
  void entersyscallblockHandsThePOffAtOnce() {
    Setup s = new Setup(1, false, true);
    s.a.sysmonwait = true;
    assertEquals(List.of(), s.run());
    // handoffp right away; the M comes back to no P of its own: straight to the slow path.
    assertEquals(
        List.of(new Sched.Handoff(100_000, 0), new Sched.ExitSyscallSlow(300_000, s.m0, 0, s.g)),
        ModelHarness.drain(s.scheds));
    assertEquals(1, s.h.run.stats.counter(Counter.ENTERSYSCALLBLOCK));
    assertEquals(0, s.h.run.stats.counter(Counter.EXITSYSCALL_FAST));
    assertEquals(P._Pidle, s.a.pStatus[0]);
    assertEquals(1, s.a.pSyscalltick[0], "entersyscallblock bumps syscalltick");
    assertTrue(ModelHarness.drain(s.sysmons).isEmpty(), "entersyscallblock does not wake sysmon");
  }
}
