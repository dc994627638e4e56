package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Dist;
import dev.gmpsim.protocol.scenario.Fault;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Each fault kind at the message level: real actors wrapped by the run's {@link FaultLayer},
 * stubs around them, and what the stubs receive (and when) with and without the fault.
 */
class FaultInjectionTest extends ModelTest {

  static Fault fault(Fault.Kind kind, String target, String message, Long from, Long until, Dist by) {
    return new Fault(null, kind, target, message, from, until, null, null, by, null, null);
  }

  @Test
  void theFaultsMessageTableIsTheModelsMessages() {
    Map<String, Class<?>> actors = Map.of(
        "P", P.Command.class, "M", M.Command.class, "sched", Sched.Command.class,
        "sysmon", Sysmon.Command.class, "netpoller", Netpoller.Command.class);
    assertEquals(new TreeSet<>(actors.keySet()), new TreeSet<>(Fault.MESSAGES.keySet()));
    actors.forEach((kind, type) -> {
      TreeSet<String> model = new TreeSet<>();
      for (Class<?> c : type.getPermittedSubclasses()) {
        model.add(c.getSimpleName());
      }
      assertEquals(model, new TreeSet<>(Fault.MESSAGES.get(kind)), kind);
    });
  }

  @Test
  void aCopyWithAnotherTimeKeepsEveryOtherField() {
    G g = new G(1, false, new Op[0]);
    Msg m = new P.RunqPut(5, g, true);
    Msg c = FaultLayer.withAt(m, 9);
    assertNotSame(m, c);
    assertEquals(new P.RunqPut(9, g, true), c);
  }

  /** A real M (m5) on a stub P0 runs a G's 5ms of compute from 1ms: its StepDone is its own. */
  private static final class ComputeRig {
    final ModelHarness h;
    final TestProbe<Msg> p = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> other = kit.createTestProbe(Msg.class);

    ComputeRig(Scenario sc) {
      this(sc, new Op.Compute(Dist.constant(5_000_000)), new Op.Block("after"));
    }

    ComputeRig(Scenario sc, Op... program) {
      h = new ModelHarness(kit, sc, 100_000_000L, 0).withClock();
      ActorRef<P.Command> p0 = h.stub(p, ZeroCosts.name("p0"));
      h.run.allp.set(0, p0);
      h.run.sched = h.stub(other, ZeroCosts.name("sched"));
      h.run.sysmon = h.stub(other, ZeroCosts.name("sysmon"));
      h.run.netpoller = h.stub(other, ZeroCosts.name("netpoller"));
      ActorRef<M.Command> m = h.realM(5);
      G g = h.g(program);
      h.at(m, new M.Start(0, p0, 0, false));
      h.at(m, new M.Execute(1_000_000, g, p0, 0, 1));
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
    }

    /** When the M went back to schedule() after the compute. */
    long scheduleAt() {
      List<P.Schedule> s = ModelHarness.only(ModelHarness.drain(p), P.Schedule.class);
      assertEquals(1, s.size(), s.toString());
      return s.get(0).at();
    }
  }

  @Test
  void aDelayHitsAMessageTheActorWouldHaveHandledInPlace() {
    ComputeRig plain = new ComputeRig(ZeroCosts.scenario(2));
    assertEquals(6_000_000, plain.scheduleAt());
    // Start and Execute come through the mailbox (the stub P handled a message in between);
    // the StepDone the M sent itself at 1ms for 6ms is the next event: handled in place.
    assertEquals(1, plain.h.run.events.handledInPlace(), "without faults the M's own StepDone is handled in place");

    Scenario sc = ZeroCosts.scenario(2).withFaults(
        List.of(fault(Fault.Kind.DELAY, "M[5]", "StepDone", null, null, Dist.constant(2_000_000))));
    ComputeRig faulted = new ComputeRig(sc);
    assertEquals(8_000_000, faulted.scheduleAt(), "the StepDone came 2ms late");
    assertEquals(0, faulted.h.run.events.handledInPlace(), "every message went through the interceptor");
    RunSummary.FaultReport r = faulted.h.run.faults.report().get(0);
    assertEquals(1, r.fired());
    assertEquals(List.of(new RunSummary.Firing(6_000_000, "M[5]", "StepDone", "delay 2ms")), r.firings());
  }

  @Test
  void aDropLosesTheMessage() {
    ComputeRig faulted = new ComputeRig(ZeroCosts.scenario(2).withFaults(
        List.of(fault(Fault.Kind.DROP, "M[*]", "StepDone", null, null, null))));
    assertEquals(List.of(), ModelHarness.only(ModelHarness.drain(faulted.p), P.Schedule.class),
        "the compute never ends: the G stays on the M");
    assertEquals(1, faulted.h.run.faults.report().get(0).fired());
    assertEquals("drop", faulted.h.run.faults.report().get(0).firings().get(0).action());
  }

  @Test
  void aFaultOutsideItsWindowOrOnAnotherActorDoesNothing() {
    ComputeRig late = new ComputeRig(ZeroCosts.scenario(2).withFaults(List.of(
        fault(Fault.Kind.DROP, "M[*]", "StepDone", 7_000_000L, null, null),
        fault(Fault.Kind.DROP, "M[4]", null, null, null, null),
        fault(Fault.Kind.DROP, "P[*]", "Schedule", null, null, null))));
    assertEquals(6_000_000, late.scheduleAt(), "P0 is a stub, not wrapped; m4 does not exist");
    late.h.run.faults.report().forEach(r -> assertEquals(0, r.fired(), r.fault()));
  }

  @Test
  void mLockedHitsOnlyAnMWithALockedGoroutine() {
    Scenario sc = ZeroCosts.scenario(2).withFaults(
        List.of(fault(Fault.Kind.DELAY, "M[locked]", "StepDone", null, null, Dist.constant(1_000_000))));
    assertEquals(6_000_000, new ComputeRig(sc).scheduleAt(), "nothing locked: no delay");
    ComputeRig locked = new ComputeRig(sc,
        new Op.Lock(false), new Op.Compute(Dist.constant(5_000_000)), new Op.Unlock(false), new Op.Block("after"));
    assertEquals(7_000_000, locked.scheduleAt(), "the G is locked to m5 (internal lock): its StepDone is late");
    assertEquals("M[5]", locked.h.run.faults.report().get(0).firings().get(0).actor());
  }

  @Test
  void aReorderedMessageIsHandledAfterTheNextOne() {
    for (boolean reorder : new boolean[] {false, true}) {
      Scenario sc = ModelHarness.exact(2, "");
      if (reorder) {
        sc = sc.withFaults(List.of(new Fault(null, Fault.Kind.REORDER, "sched", "GlobrunqGet", null, null, null, null, null, null, 1)));
      }
      ModelHarness h = new ModelHarness(kit, sc, 1_000_000, 0).withClock();
      TestProbe<Msg> p0 = kit.createTestProbe(Msg.class);
      TestProbe<Msg> p1 = kit.createTestProbe(Msg.class);
      h.run.allp.set(0, h.stub(p0, ZeroCosts.name("p0")));
      h.run.allp.set(1, h.stub(p1, ZeroCosts.name("p1")));
      h.realSched(8);
      h.at(h.run.sched, new Sched.GlobrunqGet(100_000, 1, 1));
      h.at(h.run.sched, new Sched.GlobrunqGet(200_000, 0, 1));
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
      assertEquals(List.of(new P.Work(200_000, null, null)), ModelHarness.only(ModelHarness.drain(p0), P.Work.class));
      assertEquals(List.of(new P.Work(reorder ? 200_000 : 100_000, null, null)),
          ModelHarness.only(ModelHarness.drain(p1), P.Work.class),
          "reordered, P1's request is answered after P0's, at its time");
    }
  }

  /** A real Sched answering P1's GlobrunqGet (empty global queue) with a P.Work. */
  private static List<P.Work> globrunqGet(Scenario sc) {
    ModelHarness h = new ModelHarness(kit, sc, 1_000_000, 0).withClock();
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    for (int i = 0; i < 2; i++) {
      h.run.allp.set(i, h.stub(ps, ZeroCosts.name("p" + i)));
    }
    h.realSched(8);
    h.at(h.run.sched, new Sched.GlobrunqGet(100_000, 1, 1));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());
    return ModelHarness.only(ModelHarness.drain(ps), P.Work.class);
  }

  @Test
  void aDuplicateIsHandledTwice() {
    assertEquals(List.of(new P.Work(100_000, null, null)), globrunqGet(ModelHarness.exact(2, "")));
    Scenario sc = ModelHarness.exact(2, "").withFaults(
        List.of(fault(Fault.Kind.DUPLICATE, "sched", "GlobrunqGet", null, null, null)));
    assertEquals(List.of(new P.Work(100_000, null, null), new P.Work(100_000, null, null)), globrunqGet(sc),
        "the copy is handled at the same virtual time, after the original");
  }

  @Test
  void everyNthAndProbabilityChooseWhichMessagesAreHit() {
    Fault every2 = new Fault(null, Fault.Kind.DROP, "sched", "GlobrunqGet", null, null, null, 2, null, null, null);
    Fault never = new Fault(null, Fault.Kind.DROP, "sched", "GlobrunqGet", null, null, 0.0, null, null, null, null);
    Fault once = new Fault(null, Fault.Kind.DROP, "sched", "GlobrunqGet", null, null, null, null, null, null, 1);
    for (Fault f : List.of(every2, never, once)) {
      ModelHarness h = new ModelHarness(kit, ModelHarness.exact(2, "").withFaults(List.of(f)), 1_000_000, 0).withClock();
      TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
      for (int i = 0; i < 2; i++) {
        h.run.allp.set(i, h.stub(ps, ZeroCosts.name("p" + i)));
      }
      h.realSched(8);
      for (int i = 1; i <= 4; i++) {
        h.at(h.run.sched, new Sched.GlobrunqGet(i * 100_000L, 1, 1));
      }
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
      List<Long> got = new ArrayList<>();
      ModelHarness.only(ModelHarness.drain(ps), P.Work.class).forEach(w -> got.add(w.at()));
      assertEquals(f == every2 ? List.of(100_000L, 300_000L)
          : f == never ? List.of(100_000L, 200_000L, 300_000L, 400_000L)
          : List.of(200_000L, 300_000L, 400_000L), got, f.label());
    }
  }

  /** A real sysmon and P0 (on a stub m0) in a read syscall from 10us; Sched stubbed. */
  private static List<Long> retakeHandoffs(Scenario sc, List<RunSummary.FaultReport> report) {
    ModelHarness h = new ModelHarness(kit, sc, 2_000_000, 0).withClock();
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    TestProbe<Msg> scheds = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, ZeroCosts.name("m0"));
    ActorRef<P.Command> p0 = h.realP(0);
    h.run.sched = h.stub(scheds, ZeroCosts.name("sched"));
    h.realSysmon();
    h.run.atomics.npidle = 0; // nobody idle, nobody spinning: retaken at the second round that sees it
    G g = h.g(new Op.Block("x"));
    h.at(p0, new P.Acquire(0, m0, 0, false, g, false, null));
    h.at(h.run.sysmon, Sysmon.firstTick(h.run));
    h.at(p0, new P.EnterSyscall(10_000, 0, false, "read"));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());
    List<Long> at = new ArrayList<>();
    ModelHarness.only(ModelHarness.drain(scheds), Sched.Handoff.class).forEach(x -> at.add(x.at()));
    if (report != null && h.run.faults != null) {
      report.addAll(h.run.faults.report());
    }
    return at;
  }

  @Test
  void aStalledSysmonRetakesOnlyAfterTheStall() {
    List<Long> plain = retakeHandoffs(ModelHarness.exact(2, ""), null);
    assertEquals(List.of(40_000L), plain, "seen at 20us, retaken at 40us");

    Scenario sc = ModelHarness.exact(2, "").withFaults(
        List.of(fault(Fault.Kind.STALL, "sysmon", null, 0L, 500_000L, null)));
    List<RunSummary.FaultReport> report = new ArrayList<>();
    List<Long> stalled = retakeHandoffs(sc, report);
    assertTrue(!stalled.isEmpty() && stalled.get(0) >= 500_000 && stalled.get(0) < 600_000,
        "no retake while sysmon is stalled, one soon after: " + stalled);
    RunSummary.FaultReport r = report.get(0);
    assertTrue(r.fired() >= 1, r.toString());
    for (RunSummary.Firing f : r.firings()) {
      assertEquals("sysmon", f.actor());
      assertEquals("stall until 500us", f.action());
      assertTrue(f.atNs() < 500_000);
    }
  }

  @Test
  void cloneFailingEndsTheRunWithTheRuntimesMessage() {
    Fault clone = new Fault(null, Fault.Kind.CLONE_FAILS, null, null, 1_000L, null, null, null, null, 4, null);
    Scenario sc = ModelHarness.exact(2, "").withFaults(List.of(clone));
    ModelHarness h = new ModelHarness(kit, sc, 1_000_000, 0).withClock();
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    for (int i = 0; i < 2; i++) {
      h.run.allp.set(i, h.stub(ps, ZeroCosts.name("p" + i)));
    }
    h.realSched(2);
    h.run.atomics.pRunqLen[0] = 1;
    // Three handoffs with work and no idle M: newm each time. mcount is 2 (m0, sysmon) at first.
    h.at(h.run.sched, new Sched.Handoff(500, 0));
    h.at(h.run.sched, new Sched.Handoff(2_000, 0));
    h.at(h.run.sched, new Sched.Handoff(3_000, 0));
    h.at(h.run.sched, new Sched.Handoff(4_000, 0));
    h.start();
    Clock.Finished fin = h.awaitEnd();
    // 500ns: before from (m2, 3 threads). 2us: m3, 4 threads: not past 4. 3us: m4 would be the 5th.
    assertEquals("fatal: runtime: failed to create new OS thread (have 5 already; errno=11)", fin.outcome());
    assertEquals(3_000, fin.virtualTimeNs());
    RunSummary.FaultReport r = h.run.faults.report().get(0);
    assertEquals(List.of(new RunSummary.Firing(3_000, "M[4]", "clone", "EAGAIN")), r.firings());
  }
}
