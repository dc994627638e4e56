package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * proc.go retake() for a P in _Psyscall, under {@code retake: go} and the reference text's
 * {@code retake: threshold}. A real sysmon and a real P0 (held by a stub M that makes a syscall);
 * Sched is a stub, so each successful retake shows as one Sched.Handoff at the retaking round.
 * Timer slack is 0: sysmon's rounds are at 20us, 40us, 60us, ... (doubling after 1.02ms: 1.06,
 * 1.14, 1.3, 1.62, 2.26, 3.54, 6.1, 11.22ms).
 */
class RetakeRulesTest extends ModelTest {

  /** One run: P0 runs a G on m0, which enters a long syscall at {@code syscallAt}. */
  private static final class Setup {
    final ModelHarness h;
    final TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> scheds = kit.createTestProbe(Msg.class);
    final ActorRef<M.Command> m0;
    final ActorRef<P.Command> p0;
    final G g;

    Setup(int procs, String runtimeExtra, long end, int npidle, int nmspinning) {
      h = new ModelHarness(kit, ModelHarness.exact(procs, runtimeExtra), end, 0).withClock();
      m0 = h.stub(ms, "m0");
      p0 = h.realP(0);
      h.run.sched = h.stub(scheds, "sched");
      h.realSysmon();
      h.run.atomics.npidle = npidle;
      h.run.atomics.nmspinning = nmspinning;
      g = h.g(new Op.Block("x"));
      h.at(p0, new P.Acquire(0, m0, 0, false, g, false, null));
      h.at(h.run.sysmon, Sysmon.firstTick(h.run));
    }

    Setup syscall(long at) {
      h.at(p0, new P.EnterSyscall(at, 0, false, "read"));
      return this;
    }

    /** The times of the handoffs that followed retakes of P0. */
    List<Long> retakes() {
      assertEquals("ok", h.awaitEnd().outcome());
      List<Long> at = new java.util.ArrayList<>();
      for (Sched.Handoff ho : ModelHarness.only(ModelHarness.drain(scheds), Sched.Handoff.class)) {
        assertEquals(0, ho.p());
        at.add(ho.at());
      }
      assertEquals(at.size(), h.run.stats.counter(Counter.RETAKES));
      return at;
    }
  }

  @Test
  void aSyscallIsRetakenOnlyAtTheSecondRoundThatSeesIt() {
    // Nobody idle, nobody spinning: nothing holds the retake back once seen twice.
    Setup s = new Setup(2, "", 1_000_000, 0, 0).syscall(30_000);
    s.h.start();
    // Seen at 40us, retaken at 60us (not at 40us, although it is already 10us old).
    assertEquals(List.of(60_000L), s.retakes());
  }

  @Test
  void emptyQueueWithAnIdlePIsLeftAloneUntilTheSyscallIs10msOld() {
    Setup s = new Setup(2, "", 20_000_000, 1, 0).syscall(30_000);
    s.h.start();
    // First seen at 40us; the first round at or after 10.04ms is at 11.22ms.
    assertEquals(List.of(11_220_000L), s.retakes());
  }

  @Test
  void emptyQueueWithASpinningMIsLeftAloneUntilTheSyscallIs10msOld() {
    Setup s = new Setup(2, "", 20_000_000, 0, 1).syscall(30_000);
    s.h.start();
    assertEquals(List.of(11_220_000L), s.retakes());
  }

  @Test
  void queuedWorkIsRetakenAtTheSecondRoundEvenWithAnIdleP() {
    Setup s = new Setup(2, "", 1_000_000, 1, 0).syscall(30_000);
    s.h.at(s.p0, new P.RunqPut(10_000, s.h.g(new Op.Block("q")), false));
    s.h.start();
    assertEquals(List.of(60_000L), s.retakes());
  }

  @Test
  void aGInRunnextCountsAsQueuedWork() {
    Setup s = new Setup(2, "", 1_000_000, 1, 1).syscall(30_000);
    s.h.at(s.p0, new P.RunqPut(10_000, s.h.g(new Op.Block("q")), true));
    s.h.start();
    assertEquals(List.of(60_000L), s.retakes());
  }

  @Test
  void aNewSyscalltickOnTheSecondRoundIsANewSyscall() {
    Setup s = new Setup(1, "", 1_000_000, 0, 0).syscall(30_000);
    // m0 is back at 45us (exitsyscallfast: syscalltick 0 -> 1) and enters another at 50us.
    s.h.at(s.p0, new P.ExitSyscall(45_000, s.m0, 0, s.g));
    s.h.at(s.p0, new P.EnterSyscall(50_000, 0, false, "read"));
    s.h.start();
    // 40us saw tick 0; 60us sees tick 1, a new syscall; 80us sees it again and retakes.
    assertEquals(List.of(80_000L), s.retakes());
    List<Msg> toM = ModelHarness.drain(s.ms);
    assertEquals(new M.Resume(45_040, s.p0, 0), toM.get(1));
  }

  @Test
  void thresholdRuleRetakesAtTheFirstRoundPastTheThreshold() {
    // An idle P and an empty queue would hold the go rule back for 10ms; not this one.
    Setup s = new Setup(2, "retake: threshold, retake-threshold: 10us", 1_000_000, 1, 0).syscall(25_000);
    s.h.start();
    // At 40us the syscall is 15us old: retaken on the first round that sees it.
    assertEquals(List.of(40_000L), s.retakes());
  }

  @Test
  void thresholdRuleWaitsForTheThreshold() {
    Setup s = new Setup(2, "retake: threshold, retake-threshold: 50us", 1_000_000, 0, 0).syscall(25_000);
    s.h.start();
    // 15us at 40us, 35us at 60us, 55us at 80us.
    assertEquals(List.of(80_000L), s.retakes());
  }
}
