package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Fault;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * crash and pause at the message level: a real P0 (wrapped by the run's fault layer, under Akka
 * supervision for a crash) between a stub m0 and a stub thief P1, and what the stubs receive.
 */
class ActorFaultsTest extends ModelTest {

  static Fault crash(String target, long at, Fault.Supervision how) {
    return new Fault(null, Fault.Kind.CRASH, target, null, null, null, null, null, null, null, null, null, at, null, how);
  }

  static Fault pause(String target, long from, long until) {
    return new Fault(null, Fault.Kind.PAUSE, target, null, from, until, null, null, null, null, null);
  }

  /** A real P0 running G1 for a stub m0, G2 and G3 in its run queue, and a stub P1 that steals at 2ms. */
  private static final class Rig {
    final ModelHarness h;
    final TestProbe<Msg> m0 = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> thief = kit.createTestProbe(Msg.class);
    final Clock.Finished fin;

    Rig(Scenario sc, Msg... more) {
      h = new ModelHarness(kit, sc, 10_000_000L, 0).withClock();
      ActorRef<M.Command> m = h.stub(m0, ZeroCosts.name("m0"));
      ActorRef<P.Command> p0 = h.realP(0);
      h.run.allp.set(1, h.stub(thief, ZeroCosts.name("p1")));
      h.run.sched = h.stub(kit.createTestProbe(Msg.class), ZeroCosts.name("sched"));
      h.run.sysmon = h.stub(kit.createTestProbe(Msg.class), ZeroCosts.name("sysmon"));
      h.run.atomics.pIdle[0] = false;
      h.run.atomics.npidle = 1;
      G g1 = h.g(new Op.Block("x"));
      h.at(p0, new P.Acquire(0, m, 0, false, g1, false, null));
      h.at(p0, new P.RunqPut(100_000, h.g(new Op.Block("x")), false));
      h.at(p0, new P.RunqPut(200_000, h.g(new Op.Block("x")), false));
      h.at(p0, new P.StealRequest(2_000_000, 1, false, new int[] {0}, 0, 0));
      for (Msg x : more) {
        h.at(p0, (P.Command) x);
      }
      if (h.run.faults != null) {
        h.run.faults.initial(m).forEach(o -> h.at(o.to(), o.msg()));
      }
      h.start();
      fin = h.awaitEnd();
    }

    List<P.Stolen> stolen() {
      return ModelHarness.only(ModelHarness.drain(thief), P.Stolen.class);
    }
  }

  @Test
  void withoutACrashTheThiefGetsHalfTheQueue() {
    Rig r = new Rig(ZeroCosts.scenario(2));
    assertEquals("ok", r.fin.outcome());
    List<P.Stolen> s = r.stolen();
    assertEquals(1, s.size());
    assertEquals(1, s.get(0).gs().length, "runqgrab takes half of two");
    assertNull(r.h.run.liveness.atEnd());
  }

  @Test
  void aRestartedPIsANewPItsQueueLostAndTheEndOfRunCheckFindsTheGoroutines() {
    Rig r = new Rig(ZeroCosts.scenario(2).withFaults(List.of(crash("P[0]", 1_000_000, Fault.Supervision.RESTART))));
    assertEquals("ok", r.fin.outcome(), "the run goes on after the crash");
    List<P.Stolen> s = r.stolen();
    assertEquals(1, s.size(), "the restarted P0 still answers: Akka restarted it, it was not stopped");
    assertNull(s.get(0).gs(), "the new P0 has an empty run queue");
    RunSummary.FaultReport f = r.h.run.faults.report().get(0);
    assertEquals(List.of(new RunSummary.Firing(1_000_000, "P[0]", "crash",
        "restart: was _Prunning on M0, 2 goroutines in its run queue")), f.firings());
    Atomics a = r.h.run.atomics;
    assertEquals(List.of(P._Pidle, -1, 0), List.of(a.pStatus[0], a.pM[0], a.pRunqLen[0]), "its words are a new P's");
    assertEquals("invariant-violated: 2 goroutines are lost (put in a local run queue, in none now)",
        r.h.run.liveness.atEnd());
  }

  @Test
  void aRestartedPThatItsMStillThinksItHoldsIsAViolation() {
    Rig r = new Rig(ZeroCosts.scenario(2).withFaults(List.of(crash("P[0]", 1_000_000, Fault.Supervision.RESTART))),
        new P.Schedule(3_000_000, 0));
    assertEquals("invariant-violated: M0 scheduled on P0 held by M-1", r.fin.outcome());
    assertEquals(3_000_000, r.fin.virtualTimeNs());
  }

  @Test
  void aStoppedPsMessagesAreDeadLettersAndTheLostPCheckNamesIt() {
    Rig r = new Rig(ZeroCosts.scenario(2).withFaults(List.of(crash("P[0]", 1_000_000, Fault.Supervision.STOP))),
        new P.Schedule(3_000_000, 0));
    assertEquals("ok", r.fin.outcome(), "the run does not hang on the dead actor");
    assertEquals(List.of(), r.stolen(), "the StealRequest went to a stopped actor");
    ActorFaults.Dead d = r.h.run.faults.actorFaults.dead("P[0]");
    assertNotNull(d);
    assertEquals(2, d.letters, "StealRequest and Schedule");
    assertEquals("its actor was stopped by a crash at 1ms (2 messages to it dead letters)", r.h.run.liveness.lostWhy(0));
    assertEquals("stop: was _Prunning on M0, 2 goroutines in its run queue",
        r.h.run.faults.report().get(0).firings().get(0).action());
  }

  @Test
  void aPausedPPreemptsItsGoroutineAndRunsNothingUntilTheEnd() {
    // Without the pause: m0 asks for its next G at 3ms and gets G3 (G2 was stolen) at once.
    Rig plain = new Rig(ZeroCosts.scenario(2), new P.Schedule(3_000_000, 0));
    List<M.Execute> ex = ModelHarness.only(ModelHarness.drain(plain.m0), M.Execute.class);
    assertEquals(2, ex.size());
    assertEquals(3_000_000, ex.get(1).at());

    Rig r = new Rig(ZeroCosts.scenario(2).withFaults(List.of(pause("P[0]", 1_000_000, 5_000_000))),
        new P.Schedule(3_000_000, 0));
    List<Msg> got = ModelHarness.drain(r.m0);
    assertEquals(List.of(new M.Preempt(1_000_000, 1)), ModelHarness.only(got, M.Preempt.class),
        "at the start of the pause its running G is preempted");
    List<M.Execute> paused = ModelHarness.only(got, M.Execute.class);
    assertEquals(2, paused.size());
    assertEquals(5_000_000, paused.get(1).at(), "m0's schedule() waited until the pause ended");
    List<P.Stolen> s = r.stolen();
    assertEquals(1, s.size());
    assertEquals(2_000_000, s.get(0).at(), "a thief may still steal from a paused P, in the window");
    assertEquals(1, s.get(0).gs().length);
    RunSummary.FaultReport f = r.h.run.faults.report().get(0);
    assertEquals(List.of(new RunSummary.Firing(1_000_000, "P[0]", "Preempt", "pause until 5ms"),
        new RunSummary.Firing(3_000_000, "P[0]", "Schedule", "pause until 5ms")), f.firings());
    assertTrue(r.h.run.events.handledInPlace() == 0);
  }
}
