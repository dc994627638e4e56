package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * wakep(): a spinning M is started only when a P is idle and no M spins; resetspinning(): a
 * spinning M that found work drops nmspinning and calls wakep, so the last spinner to find work
 * wakes another. A real Sched with an idle stub M (m7) parked on midle at 10us; futex-wake 5us.
 */
class WakepSpinningTest extends ModelTest {

  private static final class Setup {
    final ModelHarness h;
    final TestProbe<Msg> m7s = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    final ActorRef<M.Command> m7;

    /** GOMAXPROCS {@code procs}, P1.. idle; P0 is real when {@code realP0}. */
    Setup(int procs, boolean realP0) {
      h = new ModelHarness(kit, ModelHarness.exact(procs, ""), 1_000_000, 0).withClock();
      for (int i = realP0 ? 1 : 0; i < procs; i++) {
        h.run.allp.set(i, h.stub(ps, "p" + i));
      }
      if (realP0) {
        h.realP(0);
      }
      h.realSched(8);
      m7 = h.stub(m7s, "m7");
      h.at(h.run.sched, new Sched.Stopm(10_000, m7, 7));
    }

    /** What m7 got after its M.Stopped. */
    List<Msg> run() {
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
      List<Msg> got = ModelHarness.drain(m7s);
      assertEquals(new M.Stopped(11_000), got.get(0));
      return got.subList(1, got.size());
    }
  }

  @Test
  void wakepStartsASpinningMOnAnIdleP() {
    Setup s = new Setup(2, false);
    s.h.at(s.h.run.sched, new Sched.WakeP(100_000));
    assertEquals(List.of(new M.Start(105_000, s.h.run.allp.get(1), 1, true)), s.run());
    Atomics a = s.h.run.atomics;
    assertEquals(1, a.nmspinning);
    assertEquals(0, a.npidle);
    assertEquals(1, s.h.run.stats.counter(Counter.WAKEPS));
    assertEquals(1, s.h.run.stats.counter(Counter.SPINNING_STARTS));
  }

  @Test
  void wakepDoesNothingWhileAnMSpins() {
    Setup s = new Setup(2, false);
    s.h.run.atomics.nmspinning = 1;
    s.h.at(s.h.run.sched, new Sched.WakeP(100_000));
    assertEquals(List.of(), s.run());
    assertEquals(1, s.h.run.atomics.npidle);
    assertEquals(1, s.h.run.atomics.nmspinning);
    assertEquals(0, s.h.run.stats.counter(Counter.WAKEPS));
  }

  @Test
  void wakepDoesNothingWithoutAnIdleP() {
    Setup s = new Setup(1, false);
    s.h.at(s.h.run.sched, new Sched.WakeP(100_000));
    assertEquals(List.of(), s.run());
    assertEquals(0, s.h.run.atomics.nmspinning);
    assertEquals(0, s.h.run.stats.counter(Counter.STARTMS));
  }

  @Test
  void resetspinningOfTheLastSpinnerWakesAnother() {
    Setup s = new Setup(2, false);
    s.h.run.atomics.nmspinning = 1;
    s.h.at(s.h.run.sched, new Sched.ResetSpinning(100_000));
    assertEquals(List.of(new M.Start(105_000, s.h.run.allp.get(1), 1, true)), s.run());
    assertEquals(1, s.h.run.atomics.nmspinning, "1 -> 0 -> 1: the new M spins");
    assertEquals(1, s.h.run.stats.counter(Counter.WAKEPS));
  }

  @Test
  void resetspinningWithAnotherSpinnerLeftWakesNobody() {
    Setup s = new Setup(2, false);
    s.h.run.atomics.nmspinning = 2;
    s.h.at(s.h.run.sched, new Sched.ResetSpinning(100_000));
    assertEquals(List.of(), s.run());
    assertEquals(1, s.h.run.atomics.nmspinning);
    assertEquals(0, s.h.run.stats.counter(Counter.WAKEPS));
  }

  @Test
  void aSpinningMThatFindsWorkOnItsPResetsSpinningAndWakesAnother() {
    Setup s = new Setup(2, true);
    TestProbe<Msg> m0s = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = s.h.stub(m0s, "m0");
    ActorRef<P.Command> p0 = s.h.run.allp.get(0);
    s.h.run.atomics.nmspinning = 1; // m0, started spinning
    G g = s.h.g(new Op.Block("x"));
    s.h.at(p0, new P.RunqPut(20_000, g, false));
    s.h.at(p0, new P.Acquire(100_000, m0, 0, true, null, false, null));
    // P0 runs g (schedule costs 150ns) and resetspinning at once: nmspinning 1 -> 0, and wakep
    // starts m7 spinning on the idle P1.
    assertEquals(List.of(new M.Start(105_000, s.h.run.allp.get(1), 1, true)), s.run());
    assertEquals(List.of(new M.Execute(100_150, g, p0, 0, 1)), ModelHarness.drain(m0s));
    assertEquals(1, s.h.run.atomics.nmspinning);
  }
}
