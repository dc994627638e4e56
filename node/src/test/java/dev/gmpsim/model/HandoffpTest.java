package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * handoffp(pp) (Sched.Handoff), branch by branch, with a real Sched. An idle stub M (m7) is
 * parked on midle first (Sched.Stopm at 10us, M.Stopped at 11us), so "startm" shows as M.Start to
 * m7 at handoff + futex-wake (5us) with the P and the spinning flag; Ps are stubs whose state is
 * set in the atomics.
 */
class HandoffpTest extends ModelTest {

  private static final class Setup {
    final ModelHarness h;
    final TestProbe<Msg> m7s = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    final ActorRef<M.Command> m7;
    final Atomics a;

    /** GOMAXPROCS {@code procs}: P0 is the one handed off, P1.. are idle (as procresize leaves them). */
    Setup(int procs) {
      h = new ModelHarness(kit, ModelHarness.exact(procs, ""), 1_000_000, 0).withClock();
      for (int i = 0; i < procs; i++) {
        h.run.allp.set(i, h.stub(ps, "p" + i));
      }
      h.realSched(8);
      m7 = h.stub(m7s, "m7");
      a = h.run.atomics;
      h.at(h.run.sched, new Sched.Stopm(10_000, m7, 7));
    }

    Setup handoffAt(long t) {
      h.at(h.run.sched, new Sched.Handoff(t, 0));
      return this;
    }

    /** What m7 got after its M.Stopped. */
    List<Msg> run() {
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
      List<Msg> got = ModelHarness.drain(m7s);
      assertEquals(new M.Stopped(11_000), got.get(0));
      assertEquals(List.of(), ModelHarness.drain(ps), "handoffp never talks to a P");
      assertEquals(1, h.run.stats.counter(Counter.HANDOFFS));
      return got.subList(1, got.size());
    }
  }

  @Test
  void localWorkStartsANonSpinningMAtOnce() {
    Setup s = new Setup(2);
    s.a.pRunqLen[0] = 1;
    // Without the work P0 would be parked: someone spins and a poller is blocked in netpoll.
    s.a.nmspinning = 1;
    s.a.lastpoll = Atomics.POLLING;
    s.handoffAt(100_000);
    assertEquals(List.of(new M.Start(105_000, s.h.run.allp.get(0), 0, false)), s.run());
    assertEquals(1, s.a.nmspinning, "startm(pp, false) does not spin");
    assertEquals(1, s.a.npidle);
    assertEquals(0, s.a.nmidle);
  }

  @Test
  void aGInRunnextIsLocalWorkToo() {
    Setup s = new Setup(2);
    s.a.pRunnext[0] = true;
    s.a.nmspinning = 1;
    s.a.lastpoll = Atomics.POLLING;
    s.handoffAt(100_000);
    assertEquals(List.of(new M.Start(105_000, s.h.run.allp.get(0), 0, false)), s.run());
  }

  @Test
  void globalWorkStartsANonSpinningM() {
    Setup s = new Setup(2);
    s.a.nmspinning = 1;
    s.a.lastpoll = Atomics.POLLING;
    s.h.at(s.h.run.sched, new Sched.GlobrunqPut(50_000, new G[] {s.h.g(new Op.Block("q"))}));
    s.handoffAt(100_000);
    assertEquals(List.of(new M.Start(105_000, s.h.run.allp.get(0), 0, false)), s.run());
    assertEquals(1, s.a.runqsize, "handoffp leaves the global queue to the M it starts");
  }

  @Test
  void noWorkNobodySpinningAndNoIdlePStartsASpinningM() {
    Setup s = new Setup(1);
    s.a.npidle = 0;
    s.a.lastpoll = Atomics.POLLING; // not the netpoll branch
    s.handoffAt(100_000);
    assertEquals(List.of(new M.Start(105_000, s.h.run.allp.get(0), 0, true)), s.run());
    assertEquals(1, s.a.nmspinning);
    assertEquals(1, s.h.run.stats.counter(Counter.SPINNING_STARTS));
  }

  @Test
  void theLastRunningPWithNobodyPollingStartsAnM() {
    Setup s = new Setup(2); // P1 idle: npidle == gomaxprocs-1
    s.handoffAt(100_000);
    assertEquals(List.of(new M.Start(105_000, s.h.run.allp.get(0), 0, false)), s.run());
    assertEquals(0, s.a.nmspinning);
    assertEquals(1, s.a.npidle, "P0 went to the M, not to pidle");
  }

  @Test
  void theLastRunningPWithAnMInNetpollIsParked() {
    Setup s = new Setup(2);
    s.a.lastpoll = Atomics.POLLING;
    s.handoffAt(100_000);
    // pidleput(P0); no M. A wakep later hands out P0 first (pidle is a stack).
    s.h.at(s.h.run.sched, new Sched.WakeP(200_000));
    assertEquals(List.of(new M.Start(205_000, s.h.run.allp.get(0), 0, true)), s.run());
    assertEquals(1, s.a.npidle, "2 after the handoff, 1 after the wakep");
    assertEquals(1, s.h.run.stats.counter(Counter.STARTMS), "only the wakep started an M");
  }

  @Test
  void noWorkWithAnIdlePIsParkedWithoutStartingAnM() {
    Setup s = new Setup(3);
    s.a.npidle = 1; // one other P idle, one running: not the last running P, nobody spinning
    s.handoffAt(100_000);
    assertEquals(List.of(), s.run());
    assertEquals(2, s.a.npidle);
    assertEquals(0, s.a.nmspinning);
    assertEquals(1, s.a.nmidle, "m7 stays parked");
    assertEquals(0, s.h.run.stats.counter(Counter.STARTMS));
  }

  @Test
  void noWorkWithASpinningMIsParkedWithoutStartingAnM() {
    Setup s = new Setup(2);
    s.a.npidle = 0; // P1 running, and an M spins
    s.a.nmspinning = 1;
    s.handoffAt(100_000);
    assertEquals(List.of(), s.run());
    assertEquals(1, s.a.npidle);
    assertEquals(1, s.a.nmspinning);
    assertEquals(0, s.h.run.stats.counter(Counter.STARTMS));
  }

  @Test
  void aPGivenUpWithTimersOnItMakesSureSomeMWillWaitForThem() {
    // handoffp's last lines: pidleput, then wakeNetPoller(nobarrierWakeTime(pp)).
    Setup s = new Setup(3);
    TestProbe<Msg> np = kit.createTestProbe(Msg.class);
    s.h.run.netpoller = s.h.stub(np, "netpoller");
    s.a.npidle = 1;
    s.a.pTimerNext[0] = 5_000_000;
    s.handoffAt(100_000);
    assertEquals(List.of(), s.run(), "no M started by handoffp itself");
    assertEquals(2, s.a.npidle, "P0 is parked first");
    assertEquals(List.of(new Netpoller.WakeNetPoller(100_000, 5_000_000)), ModelHarness.drain(np));
  }

  @Test
  void aPGivenUpWithoutTimersDoesNotTouchTheNetpoller() {
    Setup s = new Setup(3);
    TestProbe<Msg> np = kit.createTestProbe(Msg.class);
    s.h.run.netpoller = s.h.stub(np, "netpoller");
    s.a.npidle = 1;
    s.handoffAt(100_000);
    assertEquals(List.of(), s.run());
    assertEquals(List.of(), ModelHarness.drain(np));
  }
}
