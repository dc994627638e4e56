package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Go 1.21 changed wakep: it no longer looks for an idle P first; with none it sets
 * sched.needspinning, and the next M about to give up its P in findRunnable becomes the spinning
 * M instead. Go 1.19 does neither.
 */
class NeedspinningTest extends ModelTest {

  @Test
  void onGo122AnMAboutToGiveUpItsPSpinsWhenNeedspinningIsSet() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, "go-version: \"1.22\""), 1_000_000, 0)
        .withClock();
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.realSched(2);
    h.run.atomics.npidle = 0;
    h.at(p0, new P.Acquire(0, m0, 0, false, h.g(new Op.Block("x")), false, null));
    // At 3us: an earlier wakep found no idle P (needspinning), and some M spins, so by the usual
    // rule (2*nmspinning >= busy Ps) m0 would not spin when its G parks at 5us.
    h.at(h.hook("poke", p -> {
      h.run.atomics.needspinning = true;
      h.run.atomics.nmspinning = 1;
    }), new ModelHarness.Poke(3_000));
    h.at(p0, new P.Schedule(5_000, 0));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());
    assertFalse(h.run.atomics.needspinning, "becomeSpinning cleared it");
    // m0 spun, found nothing, let P0 go: back to the other spinner alone.
    assertEquals(1, h.run.atomics.nmspinning);
    assertEquals(1, h.run.atomics.npidle);
    assertTrue(h.run.atomics.pIdle[0]);
  }

  @Test
  void onGo119NeedspinningIsIgnored() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, "go-version: \"1.19\""), 1_000_000, 0)
        .withClock();
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.realSched(2);
    h.run.atomics.npidle = 0;
    h.at(p0, new P.Acquire(0, m0, 0, false, h.g(new Op.Block("x")), false, null));
    h.at(h.hook("poke", p -> {
      h.run.atomics.needspinning = true;
      h.run.atomics.nmspinning = 1;
    }), new ModelHarness.Poke(3_000));
    h.at(p0, new P.Schedule(5_000, 0));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());
    assertTrue(h.run.atomics.needspinning, "1.19 has no needspinning: nobody clears it");
    assertEquals(1, h.run.atomics.nmspinning);
  }

  @Test
  void onGo119AWakepWithNoIdlePDoesNothing() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, "go-version: \"1.19\""), 1_000_000, 0)
        .withClock();
    h.realSched(2);
    h.run.atomics.npidle = 0;
    h.at(h.run.sched, new Sched.WakeP(1_000));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());
    assertFalse(h.run.atomics.needspinning);
    assertEquals(0, h.run.atomics.nmspinning);
    assertEquals(0, h.run.stats.counter(Counter.WAKEPS));
  }

  @Test
  void onGo122AWakepWithNoIdlePSetsNeedspinning() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, "go-version: \"1.22\""), 1_000_000, 0)
        .withClock();
    h.realSched(2);
    h.run.atomics.npidle = 0;
    h.at(h.run.sched, new Sched.WakeP(1_000));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());
    assertTrue(h.run.atomics.needspinning);
    assertEquals(0, h.run.atomics.nmspinning, "the CAS to 1 is undone when no P is found");
  }
}
