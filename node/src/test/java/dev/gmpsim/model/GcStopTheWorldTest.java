package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GC's scheduler mechanisms, message by message: stopTheWorldWithSema taking a P from a
 * syscall, idle mark workers starting Ms for idle Ps through wakep/startm, and handoffp's
 * {@code gcBlackenEnabled != 0 && gcMarkWorkAvailable(pp)} branch.
 */
class GcStopTheWorldTest extends ModelTest {

  /** GOMAXPROCS {@code procs}, exact costs, a scenario that allocates (so it has a GC). */
  private static ModelHarness harness(int procs, long end) {
    return new ModelHarness(kit, ModelHarness.scenario(
        "runtime: {gomaxprocs: " + procs + ", go-version: \"1.19\","
            + " costs: {timer-slack: 0, futex-wake: 5us, clone: 10us, futex-park: 1us,"
            + " gc-sweep-termination: 20us, gc-mark-termination: 10us, gc-preempt: 5us}}\n"
            + "heap: {live: 100MB}\n"
            + "workload:\n  - kind: goroutines\n    steps: [{alloc: 1KB}, block]\n"),
        end, 0).withClock();
  }

  @Test
  void stopTheWorldTakesAPInASyscallAndTheReturningMTakesTheSlowPath() {
    ModelHarness h = harness(2, 2_000_000);
    h.run.gc = new GcController(h.run);
    TestProbe<Msg> m0s = kit.createTestProbe(Msg.class);
    TestProbe<Msg> m1s = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(m0s, "m0");
    ActorRef<M.Command> m1 = h.stub(m1s, "m1");
    ActorRef<P.Command> p0 = h.realP(0);
    ActorRef<P.Command> p1 = h.realP(1);
    h.realSched(2);
    h.realSysmon();
    h.realNetpoller();
    G allocating = h.g(new Op.Block("x"));
    G inSyscall = h.g(new Op.Block("y"));
    List<Integer> p1During = new ArrayList<>();
    ActorRef<ModelHarness.Poke> look = h.hook("look", p -> p1During.add(h.run.atomics.pStatus[1]));
    // The stub M holds its G, as a real one in a syscall does.
    ActorRef<ModelHarness.Poke> hold = h.hook("hold", p -> inSyscall.place(G.Where.ON_M, h.run.stats));
    h.at(p0, new P.Acquire(0, m0, 0, false, allocating, false, null));
    // M1 gets P1 from the idle list with its G (exitsyscallfast_pidle), then enters a syscall.
    h.at(h.run.sched, new Sched.ExitSyscallSlow(0, m1, 1, inSyscall));
    h.at(hold, new ModelHarness.Poke(500));
    h.at(p1, new P.EnterSyscall(1_000, 1, false, "read"));
    // M0's goroutine crossed the trigger: gcStart stops the world at 50us.
    h.at(h.run.sched, new Sched.StopTheWorld(50_000, GcController.Stw.SWEEP_TERMINATION, m0, 0, 0));
    h.at(look, new ModelHarness.Poke(60_000));
    // M1 comes back from the kernel during the stopped world.
    h.at(p1, new P.ExitSyscall(62_000, m1, 1, inSyscall));
    h.start();

    assertEquals(allocating, m0s.expectMessageClass(M.Execute.class).g());
    M.WorldStarted started = m0s.expectMessageClass(M.WorldStarted.class);
    assertEquals(70_000, started.at(), "stopped at once (P1 taken from its syscall), 20us of sweep termination");
    assertInstanceOf(M.Resume.class, m1s.receiveMessage());
    Msg back = m1s.receiveMessage();
    assertInstanceOf(M.Stopped.class, back, "its P is gone and no P is idle: exitsyscall0 stops the M");
    assertTrue(back.at() >= 62_000);
    M.Start again = m1s.expectMessageClass(M.Start.class);
    assertTrue(again.spinning() && again.at() >= 70_000, "startTheWorld's wakep starts a spinning M (the parked one) for P1");
    assertEquals("ok", h.awaitEnd().outcome());
    assertEquals(List.of(P._Pgcstop), p1During, "the stop-the-world CASed P1 from _Psyscall to _Pgcstop");
    assertEquals(1, h.run.stats.counter(Counter.EXITSYSCALL_SLOW));
    assertEquals(0, h.run.stats.counter(Counter.RETAKES), "taken by the stop-the-world, not by sysmon");
    assertEquals(List.of(20_000L), h.run.gc.pauses);
    assertTrue(h.run.gc.blackenEnabled, "the mark runs after sweep termination");
    assertEquals(G.Where.GLOBAL_RUNQ, inSyscall.where, "exitsyscall0 queued its G globally");
  }

  @Test
  void aRunningGoroutineIsPreemptedAndItsPStopsAtTheNextSchedule() {
    ModelHarness h = harness(2, 2_000_000);
    h.run.gc = new GcController(h.run);
    TestProbe<Msg> m0s = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(m0s, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.realP(1);
    h.realSched(2);
    h.realSysmon();
    h.realNetpoller();
    G allocating = h.g(new Op.Block("x"));
    G computing = h.g(new Op.Compute(dev.gmpsim.protocol.scenario.Dist.constant(10_000_000)), new Op.Block("z"));
    h.at(p0, new P.Acquire(0, m0, 0, false, allocating, false, null));
    h.at(h.run.allp.get(1), new P.RunqPut(0, computing, false));
    h.at(h.run.sched, new Sched.WakeP(1_000)); // a new M takes P1 and runs the computing G
    h.at(h.run.sched, new Sched.StopTheWorld(50_000, GcController.Stw.SWEEP_TERMINATION, m0, 0, 0));
    h.start();

    m0s.expectMessageClass(M.Execute.class);
    M.WorldStarted started = m0s.expectMessageClass(M.WorldStarted.class);
    // preemptall reaches M2 5us later; its G goes to the global queue, P1 stops (gcstopm), 20us of work.
    assertTrue(started.at() >= 75_000 && started.at() < 80_000, "started at " + started.at());
    assertEquals("ok", h.awaitEnd().outcome());
    assertEquals(1, h.run.stats.counter(Counter.PREEMPTIONS));
    assertEquals(1, h.run.gc.pauses.size());
  }

  @Test
  void anIdleMarkWorkerStartsAnMForAnIdlePThroughWakep() {
    ModelHarness h = harness(4, 1_000_000);
    GcController gc = new GcController(h.run);
    h.run.gc = gc;
    TestProbe<Msg> m0s = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(m0s, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    for (int i = 1; i < 4; i++) {
      h.realP(i);
    }
    h.realSched(2);
    h.realSysmon();
    h.realNetpoller();
    G user = h.g(new Op.Block("x"));
    gc.gcStart();
    gc.startMark(0);
    assertEquals(1, gc.dedicatedNeeded, "GOMAXPROCS 4: one dedicated worker");
    gc.dedicatedNeeded = 0; // it runs elsewhere: the Ps below can only mark at idle priority
    h.at(p0, new P.Acquire(0, m0, 0, false, user, false, null));
    // The world was just started: startTheWorldWithSema's wakep.
    h.at(h.run.sched, new Sched.WakeP(10_000));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());

    // wakep -> startm(spinning) -> newm for P1; it finds no G, runs an idle worker, and
    // resetspinning's wakep starts the next: one new M per idle P, each running a worker.
    assertEquals(3, h.run.stats.counter(Counter.MS_CREATED));
    assertEquals(3, h.run.stats.counter(Counter.WAKEPS));
    assertEquals(0, h.run.atomics.npidle);
    int marking = 0;
    for (int m = 2; m < 5; m++) {
      long curg = h.run.mview(m).curg;
      G g = h.run.allgs.get(curg);
      if (g != null && g.gcWorker && g.gcMode == GcController.IDLE) {
        marking++;
      }
    }
    assertEquals(3, marking, "every new M runs an idle-priority mark worker");
    assertTrue(gc.idleNs > 0);
  }

  @ParameterizedTest(name = "mark on: {0}")
  @ValueSource(booleans = {true, false})
  void handoffpStartsAnMWhileThereIsMarkWork(boolean marking) {
    // Ends just after the handoff: later, the new M's idle worker would wake P2 too.
    ModelHarness h = harness(3, 100_500);
    GcController gc = new GcController(h.run);
    h.run.gc = gc;
    TestProbe<Msg> m0s = kit.createTestProbe(Msg.class);
    TestProbe<Msg> m2s = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(m0s, "m0");
    ActorRef<M.Command> m2 = h.stub(m2s, "m2");
    ActorRef<P.Command> p0 = h.realP(0);
    ActorRef<P.Command> p1 = h.realP(1);
    h.realP(2);
    h.realSched(3);
    h.realSysmon();
    h.realNetpoller();
    h.run.atomics.mcount = 3;
    if (marking) {
      gc.gcStart();
      gc.startMark(0);
    }
    G user = h.g(new Op.Block("x"));
    G other = h.g(new Op.Block("y"));
    other.place(G.Where.ON_M, h.run.stats);
    h.at(p0, new P.Acquire(0, m0, 0, false, user, false, null));
    h.at(h.run.sched, new Sched.ExitSyscallSlow(0, m2, 2, other)); // M2 holds P1
    h.at(p1, new P.Drop(100_000, 2)); // and lets go of it (stoplockedm): handoffp(P1)
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());

    // P2 is idle, so without the GC handoffp would put P1 on the idle list.
    assertEquals(marking ? 1 : 0, h.run.stats.counter(Counter.MS_CREATED));
    assertEquals(marking ? 1 : 0, h.run.stats.counter(Counter.STARTMS));
  }
}
