package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.scenario.Dist;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * retake()'s preemption half (preemptone): a P whose schedtick has not moved for forcePreemptNS
 * (10ms) gets P.Preempt, and the P forwards M.Preempt to the M that holds it, for the G that
 * started at that schedtick. Real sysmon and P0; timer slack 0, so sysmon's rounds are at 20us
 * steps, then 1.06, 1.14, 1.3, 1.62, 2.26, 3.54, 6.1, 11.22, 21.22ms.
 */
class PreemptionTest extends ModelTest {

  @Test
  void aGRunning10msIsPreemptedThroughItsP() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, ""), 22_000_000, 0).withClock();
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.realSysmon();
    h.run.atomics.npidle = 0;
    G g = h.g(new Op.Block("x"));
    h.at(p0, new P.Acquire(0, m0, 0, false, g, false, null));
    h.at(h.run.sysmon, Sysmon.firstTick(h.run)).start();
    assertEquals("ok", h.awaitEnd().outcome());

    List<Msg> toM = ModelHarness.drain(ms);
    // schedtick 1 seen first at 20us; the first round at or after 10.02ms is 11.22ms, and
    // preemption alone does not count as a retake, so sysmon keeps backing off (21.22ms).
    assertEquals(
        List.of(
            new M.Execute(150, g, p0, 0, 1),
            new M.Preempt(11_220_000, 1),
            new M.Preempt(21_220_000, 1)),
        toM);
    assertEquals(0, h.run.stats.counter(Counter.RETAKES));
  }

  @Test
  void aNewScheduleRestartsThe10ms() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, ""), 22_000_000, 0).withClock();
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.realSysmon();
    h.run.atomics.npidle = 0;
    G g1 = h.g(new Op.Block("x"));
    G g2 = h.g(new Op.Block("y"));
    h.at(p0, new P.Acquire(0, m0, 0, false, g1, false, null));
    h.at(p0, new P.RunqPut(1_000_000, g2, false));
    // m0 schedules at 5ms (g1 parked): g2 runs with schedtick 2, first seen at the 6.1ms round.
    h.at(p0, new P.Schedule(5_000_000, 0));
    h.at(h.run.sysmon, Sysmon.firstTick(h.run)).start();
    assertEquals("ok", h.awaitEnd().outcome());

    List<Msg> toM = ModelHarness.drain(ms);
    assertEquals(
        List.of(
            new M.Execute(150, g1, p0, 0, 1),
            new M.Execute(5_000_150, g2, p0, 0, 2),
            new M.Preempt(21_220_000, 2)),
        toM,
        "no preemption at 11.22ms: g2 has run only since the 6.1ms round");
  }

  @Test
  void aStalePreemptIsDropped() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, ""), 1_000_000, 0).withClock();
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.run.atomics.npidle = 0;
    G g = h.g(new Op.Block("x"));
    h.at(p0, new P.Acquire(0, m0, 0, false, g, false, null));
    // A preemption for schedtick 0 arrives after the P has moved on to schedtick 1.
    h.at(p0, new P.Preempt(100_000, 0));
    h.at(p0, new P.Preempt(200_000, 1)).start();
    assertEquals("ok", h.awaitEnd().outcome());
    assertEquals(
        List.of(new M.Execute(150, g, p0, 0, 1), new M.Preempt(200_000, 1)),
        ModelHarness.drain(ms));
  }

  @Test
  void thePreemptedGGoesToTheGlobalQueueWithTheRestOfItsCompute() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, ""), 12_000_000, 0).withClock();
    TestProbe<Msg> scheds = kit.createTestProbe(Msg.class);
    ActorRef<P.Command> p0 = h.realP(0);
    h.run.sched = h.stub(scheds, "sched");
    h.realSysmon();
    ActorRef<M.Command> m0 = h.realM(0);
    h.run.atomics.npidle = 0;
    G g = h.g(new Op.Compute(Dist.constant(50_000_000)), new Op.Block("x"));
    // A real M, started on P0 where g waits: it runs g's 50ms compute from 150ns.
    h.at(p0, new P.RunqPut(0, g, false));
    h.at(m0, new M.Start(0, p0, 0, false));
    h.at(h.run.sysmon, Sysmon.firstTick(h.run)).start();
    assertEquals("ok", h.awaitEnd().outcome());

    List<Sched.GlobrunqPut> puts = ModelHarness.only(ModelHarness.drain(scheds), Sched.GlobrunqPut.class);
    assertEquals(1, puts.size());
    assertEquals(11_220_000, puts.get(0).at());
    assertSame(g, puts.get(0).gs()[0]);
    assertEquals(1, h.run.stats.counter(Counter.PREEMPTIONS));
    // It started computing at 150ns for 50ms.
    assertEquals(50_000_150 - 11_220_000, g.pendingCompute);
  }

  @Test
  void withSysmonAt20usThePreemptionComes10msAfterTheFirstSighting() {
    // P1 (a stub) sits in a syscall with work queued and its retakes "win", so sysmon never
    // backs off: its rounds stay 20us apart and the 10ms shows exactly.
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(2, ""), 10_050_000, 0).withClock();
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    TestProbe<Msg> p1s = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.realSysmon();
    h.run.allp.set(1, h.retakeAnsweringP(p1s, "p1", 1));
    Atomics a = h.run.atomics;
    a.npidle = 0;
    a.pStatus[1] = P._Psyscall;
    a.pRunqLen[1] = 1;
    G g = h.g(new Op.Block("x"));
    h.at(p0, new P.Acquire(0, m0, 0, false, g, false, null));
    h.at(h.run.sysmon, Sysmon.firstTick(h.run)).start();
    assertEquals("ok", h.awaitEnd().outcome());

    // First seen at 20us: preempted at 10.02ms, and again every round while it keeps running.
    assertEquals(
        List.of(
            new M.Execute(150, g, p0, 0, 1),
            new M.Preempt(10_020_000, 1),
            new M.Preempt(10_040_000, 1)),
        ModelHarness.drain(ms));
    assertEquals(501, ModelHarness.only(ModelHarness.drain(p1s), P.Retake.class).size(),
        "sysmon asked P1 at every round from 40us to 10.04ms");
  }
}
