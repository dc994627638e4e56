package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.scenario.Dist;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mexit on m0 (proc.go): a goroutine that exits locked to the main thread does not end it. The
 * runtime hands the P off, counts m0 as freed (schedtrace's threads= drops) and parks it for
 * good, so the OS thread stays. Elsewhere a locked exit ends the thread in both counts.
 */
class M0WedgeTest extends ModelTest {

  private static final class Rig {
    final ModelHarness h = new ModelHarness(kit, ZeroCosts.scenario(2), 200_000_000L, 0).withClock();
    final TestProbe<Msg> p = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> sched = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> other = kit.createTestProbe(Msg.class);
    final ActorRef<P.Command> p0 = h.stub(p, ZeroCosts.name("p0"));
    final ActorRef<M.Command> m;

    Rig(int mid) {
      h.run.allp.set(0, p0);
      h.run.sched = h.stub(sched, ZeroCosts.name("sched"));
      h.run.sysmon = h.stub(other, ZeroCosts.name("sysmon"));
      h.run.netpoller = h.stub(other, ZeroCosts.name("netpoller"));
      m = h.realM(mid);
    }
  }

  @Test
  void aGoroutineExitingLockedToM0WedgesItInsteadOfEndingIt() {
    Rig r = new Rig(0);
    G g = r.h.g(new Op.Lock(true), new Op.Compute(Dist.constant(3_000)), new Op.Exit());
    r.h.at(r.m, new M.Start(0, r.p0, 0, false));
    r.h.at(r.m, new M.Execute(1_000, g, r.p0, 0, 1));
    r.h.start();
    assertEquals("ok", r.h.awaitEnd().outcome());

    List<Msg> p = ModelHarness.drain(r.p);
    assertInstanceOf(P.Acquire.class, p.get(0));
    assertEquals(4_000, assertInstanceOf(P.Drop.class, p.get(1)).at(), "handoffp(releasep())");
    List<Sched.MExit> exits = ModelHarness.only(ModelHarness.drain(r.sched), Sched.MExit.class);
    assertEquals(1, exits.size());
    assertEquals(0, exits.get(0).mid(), "sched.nmfreed++ for m0 too");
    MView m0 = r.h.run.mview(0);
    assertFalse(m0.dead, "m0 stays in allm: scheddetail still prints it");
    assertEquals("wedged", m0.state);
    assertTrue(m0.blocked, "parked in mPark");
    assertEquals(-1, m0.p);
    assertEquals(0, r.h.run.stats.counter(Counter.LOCKED_MS_DESTROYED), "m0 is not destroyed");
    assertEquals(G.Status._Gdead, g.status);
  }

  @Test
  void aWedgedM0ThatIsWokenBreaksAnInvariant() {
    Rig r = new Rig(0);
    G g = r.h.g(new Op.Lock(true), new Op.Exit());
    r.h.at(r.m, new M.Start(0, r.p0, 0, false));
    r.h.at(r.m, new M.Execute(1_000, g, r.p0, 0, 1));
    r.h.at(r.m, new M.Start(50_000, r.p0, 0, false));
    r.h.start();
    String outcome = r.h.awaitEnd().outcome();
    assertTrue(outcome.startsWith("invariant-violated: locked m0 woke up"), outcome);
  }

  @Test
  void schedCountsAWedgedM0OutOfSchedtraceButNotOutOfTheOs() {
    ModelHarness h = new ModelHarness(kit, ZeroCosts.scenario(2), 200_000_000L, 0).withClock();
    h.realSched(2);
    // m0 and sysmon: 2 in both counts.
    assertEquals(2, h.run.stats.threadsNow());
    assertEquals(2, h.run.stats.osThreadsNow());
    h.at(h.run.sched, new Sched.MExit(1_000, 0));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());
    assertEquals(1, h.run.stats.threadsNow(), "schedtrace: mcount() = mnext - nmfreed");
    assertEquals(2, h.run.stats.osThreadsNow(), "the OS still has m0's thread");
    assertEquals(0, h.run.stats.counter(Counter.MS_DESTROYED));
  }

  @Test
  void anotherMsLockedExitEndsItsThreadInBothCounts() {
    ModelHarness h = new ModelHarness(kit, ZeroCosts.scenario(2), 200_000_000L, 0).withClock();
    h.realSched(3);
    h.run.stats.threads(0, 3);
    h.at(h.run.sched, new Sched.MExit(1_000, 2));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());
    assertEquals(2, h.run.stats.threadsNow());
    assertEquals(2, h.run.stats.osThreadsNow());
    assertEquals(1, h.run.stats.counter(Counter.MS_DESTROYED));
  }
}
