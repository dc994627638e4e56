package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.scenario.Dist;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The program's own synchronisation at message level: one M runs a goroutine on a stubbed P,
 * others wait parked in a channel or a WaitGroup; what the M readies goes to the P as runnext
 * (goready), as chansend, closechan and WaitGroup.Done do.
 */
class SyncStepsTest extends ModelTest {

  private static final class Rig {
    final ModelHarness h = new ModelHarness(kit, ZeroCosts.scenario(2), 200_000_000L, 0).withClock();
    final TestProbe<Msg> p = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> other = kit.createTestProbe(Msg.class);
    final ActorRef<P.Command> p0 = h.stub(p, ZeroCosts.name("p0"));
    final ActorRef<M.Command> m;

    Rig() {
      h.run.allp.set(0, p0);
      h.run.sched = h.stub(other, ZeroCosts.name("sched"));
      h.run.sysmon = h.stub(other, ZeroCosts.name("sysmon"));
      h.run.netpoller = h.stub(other, ZeroCosts.name("netpoller"));
      m = h.realM(5);
    }

    /** A goroutine already parked in {@code q} (what gopark left). */
    G parked(java.util.ArrayDeque<G> q) {
      G g = h.g(new Op.Block("after"));
      g.status = G.Status._Gwaiting;
      g.place(G.Where.CHAN, h.run.stats);
      q.addLast(g);
      return g;
    }

    List<Msg> run(G g) {
      h.at(m, new M.Start(0, p0, 0, false));
      h.at(m, new M.Execute(1_000, g, p0, 0, 1));
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
      List<Msg> got = ModelHarness.drain(p);
      assertInstanceOf(P.Acquire.class, got.get(0));
      return got.subList(1, got.size());
    }
  }

  @Test
  void anUnbufferedSendHandsItsValueToAParkedReceiverAndReadiesIt() {
    Rig r = new Rig();
    Chan c = new Chan("handoff", 0);
    r.h.run.chans.add(c);
    G receiver = r.parked(c.recvq);
    G sender = r.h.g(new Op.Send(0), new Op.Block("sent"));
    List<Msg> p = r.run(sender);
    P.RunqPut put = assertInstanceOf(P.RunqPut.class, p.get(0));
    assertEquals(receiver, put.g());
    assertTrue(put.next(), "goready puts it in runnext");
    assertEquals(0, c.count, "nothing buffered: the value went straight to the receiver");
  }

  @Test
  void anUnbufferedSendWithNoReceiverParksTheSender() {
    Rig r = new Rig();
    Chan c = new Chan("handoff", 0);
    r.h.run.chans.add(c);
    G sender = r.h.g(new Op.Send(0), new Op.Block("sent"));
    r.run(sender);
    assertEquals(List.of(sender), List.copyOf(c.sendq));
    assertEquals("chan send", sender.waitReason);
  }

  @Test
  void closeWakesEveryReaderAndLaterReceivesReturnAtOnce() {
    Rig r = new Rig();
    Chan c = new Chan("work", 0);
    r.h.run.chans.add(c);
    G a = r.parked(c.recvq);
    G b = r.parked(c.recvq);
    G closer = r.h.g(new Op.Close(0), new Op.Recv(0), new Op.Compute(Dist.constant(1_000)), new Op.Block("after"));
    List<Msg> p = r.run(closer);
    List<G> readied = ModelHarness.only(p, P.RunqPut.class).stream().map(P.RunqPut::g).toList();
    assertEquals(List.of(a, b), readied);
    assertTrue(c.closed);
    assertEquals("after", closer.waitReason,
        "the receive on the closed channel did not park: the closer went on to its last step");
  }

  @Test
  void theLastDoneReleasesEveryWaiter() {
    Rig r = new Rig();
    WaitGroup w = new WaitGroup("started", 2);
    r.h.run.waitgroups.add(w);
    G waiter = r.parked(w.waiters);
    G worker = r.h.g(new Op.Done(0), new Op.Compute(Dist.constant(1_000)), new Op.Done(0), new Op.Block("after"));
    List<Msg> p = r.run(worker);
    List<P.RunqPut> puts = ModelHarness.only(p, P.RunqPut.class);
    assertEquals(1, puts.size(), "only the second Done brings the count to zero");
    assertEquals(waiter, puts.get(0).g());
    assertTrue(puts.get(0).at() >= 2_000, "after the compute between the two Dones");
    assertEquals(0, w.count);
  }

  @Test
  void aLoopUntilAFlagIsSetStopsAtItsNextIteration() {
    Rig r = new Rig();
    r.h.run.flags = new boolean[1];
    Op.Loop loop = new Op.Loop(0, new Op[] {new Op.Compute(Dist.constant(1_000)), new Op.Set(0)}, -1, -1,
        r.h.run.flags, 0);
    G g = r.h.g(loop, new Op.Block("after"));
    List<Msg> p = r.run(g);
    // One pass (compute, then the flag is set), and the loop ends: the G blocks at 2us.
    assertTrue(r.h.run.flags[0]);
    assertEquals("after", g.waitReason);
    assertEquals(1_000 + 1_000, assertInstanceOf(P.Schedule.class, p.get(0)).at());
  }
}
