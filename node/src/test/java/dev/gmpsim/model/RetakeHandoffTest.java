package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.scenario.Dist;
import org.junit.jupiter.api.Test;

/**
 * The headline mechanism: a P left in _Psyscall is retaken by sysmon only after it has seen the
 * same syscall on two rounds; handoffp then starts an M for the P's queued work; the M that comes
 * back from the kernel finds its P gone and takes the slow path.
 */
class RetakeHandoffTest extends ModelTest {

  @Test
  void pInSyscallIsRetakenAfterTwoSysmonRoundsAndTheReturningMTakesTheSlowPath() {
    // GOMAXPROCS=1: no idle P, so nothing holds sysmon back once it has seen the syscall twice.
    ModelHarness h = new ModelHarness(kit, ModelHarness.minimal(1), 5_000_000, 0).withClock();
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.realSched(2);
    h.realSysmon();
    h.realNetpoller();
    h.run.atomics.npidle = 0; // P0 is taken by m0 below
    G running = h.g(new Op.Block("x"));
    // The queued G computes for 5ms, so the P stays busy when m0 comes back.
    G queued = h.g(new Op.Compute(Dist.constant(5_000_000)), new Op.Block("y"));
    // m0 runs `running` on P0, `queued` waits in P0's run queue, then `running` makes a 1ms
    // syscall at t=100us: entersyscall now, back from the kernel at 1.1ms.
    h.at(p0, new P.Acquire(0, m0, 0, false, running, false, null));
    h.at(p0, new P.RunqPut(10, queued, false));
    h.at(p0, new P.EnterSyscall(100_000, 0, false, "read"));
    h.at(p0, new P.ExitSyscall(1_100_000, m0, 0, running));
    h.at(h.run.sysmon, new Sysmon.Tick(60_000, 0));
    h.start();

    M.Execute first = ms.expectMessageClass(M.Execute.class);
    assertEquals(running, first.g());

    // Sysmon sees the syscall at its first round after 100us and retakes at the next; handoffp
    // finds queued work and starts a new M for P0 (spawned by Sched, not our stub). m0 comes
    // back at 1.1ms to a retaken P with no idle P: exitsyscall0 queues its G and stops m0.
    Msg next = ms.receiveMessage();
    assertInstanceOf(M.Stopped.class, next, "m0 comes back to a retaken P and, with no idle P, stops");
    assertTrue(next.at() >= 1_100_000);
    Clock.Finished end = h.awaitEnd();
    assertEquals("ok", end.outcome());
    assertEquals(1, h.run.stats.counter(Counter.RETAKES));
    assertEquals(1, h.run.stats.counter(Counter.HANDOFFS));
    assertEquals(1, h.run.stats.counter(Counter.MS_CREATED), "handoffp started a new M");
    assertEquals(1, h.run.stats.counter(Counter.EXITSYSCALL_SLOW));
    assertEquals(0, h.run.stats.counter(Counter.EXITSYSCALL_FAST));
    // The returning G waits in the global run queue (no wakep in exitsyscall0) until the new M
    // looks there after its 5ms compute.
    assertTrue(running.where == G.Where.GLOBAL_RUNQ || running.status != G.Status._Gsyscall);
  }
}
