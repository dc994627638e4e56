package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * startm (mget before newm), newm (mcount, the clone cost) and stopm (mput on midle, never freed
 * in the real runtime; the text's pool option frees Ms over its cap). A real Sched, stub Ms and
 * Ps; costs: futex-wake 5us, futex-park 1us, clone 10us. A startm is asked for with Sched.WakeP
 * (an idle P, nobody spinning), which hands out the idle P1 spinning.
 */
class StartmStopmTest extends ModelTest {

  private static ModelHarness harness(String runtimeExtra, TestProbe<Msg> ps, int firstFreeMId) {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(2, runtimeExtra), 1_000_000, 0).withClock();
    h.run.allp.set(0, h.stub(ps, "p0"));
    h.run.allp.set(1, h.stub(ps, "p1"));
    // Threads 0 .. firstFreeMId-1 exist already (m0, sysmon, and the stub Ms of the test).
    Sched.initAtomics(h.run, firstFreeMId);
    h.realSched(firstFreeMId);
    return h;
  }

  @Test
  void startmWakesAnIdleMBeforeCreatingOne() {
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    TestProbe<Msg> m2s = kit.createTestProbe(Msg.class);
    TestProbe<Msg> m3s = kit.createTestProbe(Msg.class);
    ModelHarness h = harness("", ps, 4);
    ActorRef<M.Command> m2 = h.stub(m2s, "m2");
    ActorRef<M.Command> m3 = h.stub(m3s, "m3");
    h.at(h.run.sched, new Sched.Stopm(10_000, m2, 2));
    h.at(h.run.sched, new Sched.Stopm(20_000, m3, 3));
    h.at(h.run.sched, new Sched.WakeP(100_000)).start();
    assertEquals("ok", h.awaitEnd().outcome());

    // mget takes the M parked last; notewakeup costs a futex wake.
    assertEquals(List.of(new M.Stopped(11_000)), ModelHarness.drain(m2s));
    assertEquals(
        List.of(new M.Stopped(21_000), new M.Start(105_000, h.run.allp.get(1), 1, true)),
        ModelHarness.drain(m3s));
    assertEquals(0, h.run.stats.counter(Counter.MS_CREATED));
    assertEquals(4, h.run.atomics.mcount);
    assertEquals(1, h.run.atomics.nmidle);
    assertEquals(1, h.run.stats.counter(Counter.STARTMS));
    assertEquals(List.of(), ModelHarness.drain(ps));
  }

  @Test
  void withNoIdleMNewmCreatesAThread() {
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    ModelHarness h = harness("", ps, 2);
    h.at(h.run.sched, new Sched.WakeP(100_000)).start();
    assertEquals("ok", h.awaitEnd().outcome());

    // M2 is cloned (10us) and, started with nextp = P1, acquires it spinning.
    List<P.Acquire> acq = ModelHarness.only(ModelHarness.drain(ps), P.Acquire.class);
    assertEquals(1, acq.size());
    P.Acquire a = acq.get(0);
    assertEquals(110_000, a.at());
    assertEquals(2, a.mid());
    assertTrue(a.spinning());
    assertNull(a.g());
    assertEquals(1, h.run.stats.counter(Counter.MS_CREATED));
    assertEquals(3, h.run.atomics.mcount);
    assertEquals(3, h.run.stats.threadsPeak());
  }

  @Test
  void stopmParksOnMidleAndNeverFreesUnderKeep() {
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    // The cap only applies to the pool policy.
    ModelHarness h = harness("idle-ms: keep, idle-ms-cap: 0", ps, 5);
    for (int id = 2; id <= 4; id++) {
      h.at(h.run.sched, new Sched.Stopm(10_000L * id, h.stub(ms, "m" + id), id));
    }
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());
    assertEquals(
        List.of(new M.Stopped(21_000), new M.Stopped(31_000), new M.Stopped(41_000)),
        ModelHarness.drain(ms));
    assertEquals(3, h.run.atomics.nmidle);
    assertEquals(5, h.run.atomics.mcount);
    assertEquals(3, h.run.stats.counter(Counter.STOPMS));
    assertEquals(0, h.run.stats.counter(Counter.MS_DESTROYED));
  }

  @Test
  void underThePoolPolicyAnMBeyondTheCapExits() {
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    TestProbe<Msg> m2s = kit.createTestProbe(Msg.class);
    TestProbe<Msg> m3s = kit.createTestProbe(Msg.class);
    ModelHarness h = harness("idle-ms: pool, idle-ms-cap: 1", ps, 4);
    ActorRef<M.Command> m2 = h.stub(m2s, "m2");
    ActorRef<M.Command> m3 = h.stub(m3s, "m3");
    h.at(h.run.sched, new Sched.Stopm(10_000, m2, 2));
    h.at(h.run.sched, new Sched.Stopm(20_000, m3, 3));
    // The next startm can only get m2: m3 is gone.
    h.at(h.run.sched, new Sched.WakeP(100_000)).start();
    assertEquals("ok", h.awaitEnd().outcome());

    assertEquals(
        List.of(new M.Stopped(11_000), new M.Start(105_000, h.run.allp.get(1), 1, true)),
        ModelHarness.drain(m2s));
    assertEquals(List.of(new M.Exit(20_000)), ModelHarness.drain(m3s));
    assertEquals(3, h.run.atomics.mcount);
    assertEquals(1, h.run.stats.counter(Counter.MS_DESTROYED));
    assertEquals(0, h.run.atomics.nmidle);
    assertEquals(0, h.run.stats.counter(Counter.MS_CREATED));
  }
}
