package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * findRunnable's stealWork/runqsteal/runqgrab between two real Ps, and schedule()'s 1-in-61
 * look at the global queue. The thief P0 is acquired at 1us by the spinning stub M m0; the victim
 * P1 is running (held by stub m1) with Gs queued. Sched is a stub unless said otherwise.
 */
class StealTest extends ModelTest {

  private static final class Setup {
    final ModelHarness h;
    final TestProbe<Msg> m0s = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> m1s = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> scheds = kit.createTestProbe(Msg.class);
    final ActorRef<M.Command> m0;
    final ActorRef<M.Command> m1;
    final ActorRef<P.Command> p0;
    final ActorRef<P.Command> p1;
    final List<G> queued = new ArrayList<>();
    final Atomics a;

    /** The victim P1 runs a G (unless {@code victimIdle}) and has {@code n} Gs queued. */
    Setup(int n, boolean victimIdle) {
      h = new ModelHarness(kit, ModelHarness.exact(2, ""), 1_000_000, 0).withClock();
      m0 = h.stub(m0s, "m0");
      m1 = h.stub(m1s, "m1");
      p0 = h.realP(0);
      p1 = h.realP(1);
      h.run.sched = h.stub(scheds, "sched");
      a = h.run.atomics;
      // As Sched would have it: P1 on the idle list (idlepMask) or taken off it.
      a.npidle = victimIdle ? 1 : 0;
      a.pIdle[1] = victimIdle;
      a.nmspinning = 1; // m0
      if (!victimIdle) {
        h.at(p1, new P.Acquire(0, m1, 1, false, h.g(new Op.Block("v")), false, null));
      }
      for (int i = 0; i < n; i++) {
        G g = h.g(new Op.Block("q" + i));
        queued.add(g);
        h.at(p1, new P.RunqPut(10 + i, g, false));
      }
    }

    Setup runnext(G g) {
      h.at(p1, new P.RunqPut(100, g, true));
      return this;
    }

    /** m0 starts spinning on P0 at 1us; returns what m0 got. */
    List<Msg> run() {
      h.at(p0, new P.Acquire(1_000, m0, 0, true, null, false, null));
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
      return ModelHarness.drain(m0s);
    }

    /** m0 ran {@code g} on P0 (the first G P0 ran), found by a steal. */
    void assertStoleAndRan(List<Msg> toM0, G g) {
      assertStoleAndRan(toM0, g, 0);
    }

    /** As above; {@code extra} is runqgrab's 3us pause before taking a running P's runnext. */
    void assertStoleAndRan(List<Msg> toM0, G g, long extra) {
      assertEquals(1, toM0.size(), toM0.toString());
      M.Execute e = (M.Execute) toM0.get(0);
      assertEquals(g, e.g());
      assertEquals(0, e.pid());
      assertEquals(1, e.schedtick());
      // One or two victims looked at (50ns each), the grab (50ns), execute (150ns).
      assertTrue(e.at() == 1_250 + extra || e.at() == 1_300 + extra, "at " + e.at());
      // The spinning M found work: resetspinning, at the moment it runs it.
      assertEquals(List.of(new Sched.ResetSpinning(e.at() - 150)), ModelHarness.drain(scheds));
      assertEquals(1, h.run.stats.counter(Counter.STEALS));
    }
  }

  @Test
  void aThiefTakesHalfTheQueueAndRunsTheLastOne() {
    Setup s = new Setup(4, false);
    // Later m0 schedules again on P0 and finds the other stolen G in its own queue.
    s.h.at(s.p0, new P.Schedule(50_000, 0));
    List<Msg> toM0 = s.run();
    assertEquals(2, toM0.size(), toM0.toString());
    s.assertStoleAndRan(toM0.subList(0, 1), s.queued.get(1));
    assertEquals(new M.Execute(50_150, s.queued.get(0), s.p0, 0, 2), toM0.get(1));
    assertEquals(2, s.a.pRunqLen[1], "q2 and q3 stay with the victim");
    assertEquals(0, s.a.pRunqLen[0]);
  }

  @Test
  void anOddQueueLosesTheBiggerHalf() {
    Setup s = new Setup(5, false);
    List<Msg> toM0 = s.run();
    // runqgrab takes n - n/2 = 3 of 5: q0, q1 to the thief's queue, q2 runs.
    s.assertStoleAndRan(toM0, s.queued.get(2));
    assertEquals(2, s.a.pRunqLen[0]);
    assertEquals(2, s.a.pRunqLen[1]);
    assertEquals(G.Where.LOCAL_RUNQ, s.queued.get(0).where);
  }

  @Test
  void runnextIsStolenOnlyOnTheLastPassWhenTheQueueIsEmpty() {
    Setup s = new Setup(0, false);
    G next = s.h.g(new Op.Block("next"));
    s.runnext(next);
    List<Msg> toM0 = s.run();
    s.assertStoleAndRan(toM0, next, 3_000);
    assertFalse(s.a.pRunnext[1]);
  }

  @Test
  void runnextStaysWhenTheQueueHasWork() {
    Setup s = new Setup(1, false);
    G next = s.h.g(new Op.Block("next"));
    s.runnext(next);
    List<Msg> toM0 = s.run();
    s.assertStoleAndRan(toM0, s.queued.get(0));
    assertTrue(s.a.pRunnext[1], "the victim's runnext is left alone");
    assertEquals(0, s.a.pRunqLen[1]);
  }

  @Test
  void aPOnTheIdleListIsNotRobbed() {
    // stealWork skips Ps in idlepMask, whatever their queues hold.
    Setup s = new Setup(3, true);
    List<Msg> toM0 = s.run();
    assertEquals(List.of(), toM0);
    // Nothing found: P0 is released (spinning) to Sched, which parks it.
    List<Msg> toSched = ModelHarness.drain(s.scheds);
    assertEquals(1, toSched.size(), toSched.toString());
    Sched.ReleaseP r = (Sched.ReleaseP) toSched.get(0);
    assertEquals(0, r.p());
    assertTrue(r.spinning());
    assertEquals(3, s.a.pRunqLen[1]);
    assertEquals(0, s.h.run.stats.counter(Counter.STEALS));
  }

  @Test
  void every61stScheduleTakesOneGFromTheGlobalQueueFirst() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, ""), 1_000_000, 0).withClock();
    TestProbe<Msg> m0s = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(m0s, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.realSched(2);
    h.run.atomics.npidle = 0;
    G first = h.g(new Op.Block("first"));
    h.at(p0, new P.Acquire(0, m0, 0, false, first, false, null)); // schedtick 1
    List<G> local = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      G g = h.g(new Op.Block("l" + i));
      local.add(g);
      h.at(p0, new P.RunqPut(100 + i, g, false));
    }
    List<G> global = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      global.add(h.g(new Op.Block("g" + i)));
    }
    h.at(h.run.sched, new Sched.GlobrunqPut(500, global.toArray(G[]::new)));
    for (int k = 1; k <= 61; k++) {
      h.at(p0, new P.Schedule(10_000L * k, 0));
    }
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());

    List<M.Execute> ex = ModelHarness.only(ModelHarness.drain(m0s), M.Execute.class);
    assertEquals(62, ex.size());
    // Schedules 1..60 (schedtick 1..60 when checked) take the local queue in order ...
    for (int k = 1; k <= 60; k++) {
      assertEquals(new M.Execute(10_000L * k + 150, local.get(k - 1), p0, 0, k + 1), ex.get(k));
    }
    // ... the 61st finds schedtick 61 and takes one G from the global queue, not a batch.
    assertEquals(new M.Execute(610_150, global.get(0), p0, 0, 62), ex.get(61));
    assertEquals(2, h.run.atomics.runqsize);
    assertEquals(10, h.run.atomics.pRunqLen[0]);
  }

  @Test
  void scheduleRunsATimerThatFiredWhileAnMSleepsInNetpollBeforeItsOwnQueue() {
    // checkTimers at the top of findRunnable: the sleeper's timer went off at 200us while an M
    // waits in epoll_wait for 1ms; P0's next schedule() at 300us runs it (goroutineReady puts
    // it in runnext) ahead of the G already queued.
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(2, ""), 5_000_000, 0).withClock();
    TestProbe<Msg> m0s = kit.createTestProbe(Msg.class);
    TestProbe<Msg> scheds = kit.createTestProbe(Msg.class);
    TestProbe<Msg> poller = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(m0s, "m0");
    ActorRef<M.Command> m7 = h.stub(poller, "m7");
    h.run.sched = h.stub(scheds, "sched");
    ActorRef<P.Command> p0 = h.realP(0);
    ActorRef<Netpoller.Command> np = h.realNetpoller();
    h.run.atomics.npidle = 1;
    h.run.atomics.nmspinning = 1; // someone spins: ready()'s wakep has nothing to do
    h.run.atomics.lastpoll = Atomics.POLLING;
    G first = h.g(new Op.Block("first"));
    G queued = h.g(new Op.Block("queued"));
    G sleeper = h.g(new Op.Block("sleeper"));
    h.at(p0, new P.Acquire(0, m0, 0, false, first, false, null));
    h.at(p0, new P.RunqPut(10, queued, false));
    h.at(np, new Netpoller.AddTimer(20, sleeper, 200_000));
    h.at(np, new Netpoller.BlockingPoll(30, m7, 7, false));
    h.at(p0, new P.Schedule(300_000, 0));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());

    List<M.Execute> ex = ModelHarness.only(ModelHarness.drain(m0s), M.Execute.class);
    assertEquals(2, ex.size(), ex.toString());
    assertEquals(sleeper, ex.get(1).g(), "the due timer's goroutine runs first");
    assertEquals(0, h.run.atomics.timersDue);
    assertEquals(1, h.run.atomics.pRunqLen[0], "the queued G waits its turn");
    assertTrue(ModelHarness.only(ModelHarness.drain(scheds), Sched.WakeP.class).isEmpty());
  }

  @Test
  void runqgrabGivesRunnextOnlyToARequestOfTheLastPass() {
    // The grab itself, asked directly: P1 has only runnext; the thief P0 is a stub.
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(2, ""), 1_000_000, 0).withClock();
    TestProbe<Msg> p0s = kit.createTestProbe(Msg.class);
    TestProbe<Msg> m1s = kit.createTestProbe(Msg.class);
    h.run.allp.set(0, h.stub(p0s, "p0"));
    ActorRef<P.Command> p1 = h.realP(1);
    h.run.atomics.pIdle[1] = false;
    G next = h.g(new Op.Block("next"));
    int[] order = {1, 0};
    h.at(p1, new P.Acquire(0, h.stub(m1s, "m1"), 1, false, h.g(new Op.Block("v")), false, null));
    h.at(p1, new P.RunqPut(100, next, true));
    h.at(p1, new P.StealRequest(1_000, 0, false, order, 0, 0));
    h.at(p1, new P.StealRequest(2_000, 0, true, order, 0, 1));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());

    List<P.Stolen> got = ModelHarness.only(ModelHarness.drain(p0s), P.Stolen.class);
    assertEquals(2, got.size());
    assertEquals(1_050, got.get(0).at());
    assertEquals(null, got.get(0).gs(), "runqsteal without stealRunNextG finds nothing");
    assertEquals(0, got.get(0).pass());
    assertEquals(2_050 + 3_000, got.get(1).at(), "runqgrab waits 3us before taking a running P's runnext");
    assertEquals(List.of(next), List.of(got.get(1).gs()));
    assertEquals(1, got.get(1).pass());
    assertFalse(h.run.atomics.pRunnext[1]);
    assertEquals(1, h.run.stats.counter(Counter.STEALS));
  }
}
