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
 * sysmon's sleep (proc.go sysmon()): 20us while it retakes, doubling once it has gone more than
 * 50 rounds without retaking, at most 10ms; sysmonwait while every P is idle (never with
 * schedtrace on), and a wake-up by entersyscall starts again from 20us.
 *
 * <p>Sysmon's rounds are seen through the P.Retake it sends each round to a P that sits in a
 * syscall with queued work; the stub P answers "not retaken" (the CAS lost), so sysmon counts the
 * round as idle. Timer slack is 0, so sysmon sleeps exactly what it asks for.
 */
class SysmonDelayTest extends ModelTest {

  /** A harness with a real sysmon and a stub P0 in a syscall with queued work. */
  private static ModelHarness stuckSyscall(
      TestProbe<Msg> ps, long end, java.util.function.LongPredicate retakenAt) {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, ""), end, 0).withClock();
    h.realSysmon();
    ActorRef<P.Command> p0 =
        h.stub(ps, "p0", m -> m instanceof P.Retake r
            ? List.of(ModelHarness.out(
                h.run.sysmon, new Sysmon.RetakeResult(r.at(), retakenAt.test(r.at()) ? 1 : 0)))
            : List.of());
    h.run.allp.set(0, p0);
    Atomics a = h.run.atomics;
    a.npidle = 0;
    a.pStatus[0] = P._Psyscall;
    a.pRunqLen[0] = 1; // work is waiting, so no skip rule applies
    h.at(h.run.sysmon, Sysmon.firstTick(h.run));
    return h;
  }

  private static List<Long> retakeTimes(List<Msg> msgs) {
    List<Long> out = new ArrayList<>();
    for (P.Retake r : ModelHarness.only(msgs, P.Retake.class)) {
      out.add(r.at());
      assertEquals(0, r.syscalltick(), "always the syscall sysmon saw first");
    }
    return out;
  }

  /** sysmon's sleeps from the round at {@code from} in which idle was reset, up to {@code end}. */
  private static void addSleeps(List<Long> to, long from, int rounds, long... backoff) {
    for (int k = 1; k <= rounds; k++) {
      to.add(from + 20_000L * k);
    }
    long t = from + 20_000L * rounds;
    for (long d : backoff) {
      t += d;
      to.add(t);
    }
  }

  @Test
  void sleeps20usFor50IdleRoundsThenDoublesUpTo10ms() {
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    ModelHarness h = stuckSyscall(ps, 40_000_000, t -> false).start();
    assertEquals("ok", h.awaitEnd().outcome());

    // First round at 20us sees the syscall; from the second on it asks for it every round.
    // Rounds 1..51 are 20us apart; the 52nd sleep is 40us (idle > 50), then 80, 160, ... and
    // from 10.24ms on it is capped at 10ms.
    List<Long> expected = new ArrayList<>();
    addSleeps(expected, 20_000, 50, 40_000, 80_000, 160_000, 320_000, 640_000, 1_280_000,
        2_560_000, 5_120_000, 10_000_000, 10_000_000);
    assertEquals(expected, retakeTimes(ModelHarness.drain(ps)));
    assertEquals(31_220_000L, expected.get(expected.size() - 1));
    assertEquals(61, h.run.stats.counter(Counter.SYSMON_TICKS));
    assertEquals(0, h.run.stats.counter(Counter.SYSMON_WAITS));
  }

  @Test
  void aRoundThatRetakesResetsTheSleepTo20us() {
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    // The retake at 2.26ms (after the sleep had grown to 640us) wins.
    ModelHarness h = stuckSyscall(ps, 5_000_000, t -> t == 2_260_000).start();
    assertEquals("ok", h.awaitEnd().outcome());

    List<Long> expected = new ArrayList<>();
    addSleeps(expected, 20_000, 50, 40_000, 80_000, 160_000, 320_000, 640_000);
    assertEquals(2_260_000L, expected.get(expected.size() - 1));
    // idle = 0 again: 51 more rounds of 20us before the doubling starts over.
    addSleeps(expected, 2_260_000, 51, 40_000, 80_000, 160_000, 320_000, 640_000);
    assertEquals(4_520_000L, expected.get(expected.size() - 1));
    assertEquals(expected, retakeTimes(ModelHarness.drain(ps)));
  }

  @Test
  void everyPIdleWithoutSchedtraceSleepsOnSysmonwaitAndTicksStop() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(2, ""), 100_000_000, 0).withClock();
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    h.realSysmon();
    h.run.allp.set(0, h.retakeAnsweringP(ps, "p0", 0));
    h.run.allp.set(1, h.retakeAnsweringP(ps, "p1", 0));
    h.run.atomics.npidle = 2;
    h.at(h.run.sysmon, Sysmon.firstTick(h.run)).start();
    assertEquals("ok", h.awaitEnd().outcome());

    // One tick at 20us finds every P idle and sysmon sleeps on sysmonwait: no tick in the
    // remaining 100ms (its timed wait is forcegcperiod/2 = 60s).
    assertEquals(1, h.run.stats.counter(Counter.SYSMON_TICKS));
    assertEquals(1, h.run.stats.counter(Counter.SYSMON_WAITS));
    assertTrue(h.run.atomics.sysmonwait);
    assertEquals(List.of(), ModelHarness.drain(ps));
  }

  @Test
  void withSchedtraceOnSysmonNeverWaitsAndKeepsPrinting() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(2, ""), 5_000_000, 1_000_000).withClock();
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    h.realSysmon();
    h.run.allp.set(0, h.retakeAnsweringP(ps, "p0", 0));
    h.run.allp.set(1, h.retakeAnsweringP(ps, "p1", 0));
    h.run.atomics.npidle = 2;
    h.at(h.run.sysmon, Sysmon.firstTick(h.run)).start();
    assertEquals("ok", h.awaitEnd().outcome());

    // Ticks at 20us..1.02ms (51), then 1.06, 1.14, 1.3, 1.62, 2.26, 3.54ms: 57 before 5ms.
    assertEquals(57, h.run.stats.counter(Counter.SYSMON_TICKS));
    assertEquals(0, h.run.stats.counter(Counter.SYSMON_WAITS));
    assertFalse(h.run.atomics.sysmonwait);
    // Printed at 20us, 1.02ms, 2.26ms and 3.54ms (the first round at least 1ms after the last).
    String[] lines = h.run.stats.schedtrace().split("\n");
    assertEquals(4, lines.length, h.run.stats.schedtrace());
    assertTrue(lines[0].startsWith("SCHED 0ms: gomaxprocs=2 idleprocs=2"), lines[0]);
    assertTrue(lines[3].startsWith("SCHED 3ms:"), lines[3]);
    assertEquals(List.of(), ModelHarness.drain(ps));
  }

  @Test
  void entersyscallWakesSysmonWhichRetakesAfter20usEvenAfterBackingOff() {
    ModelHarness h = new ModelHarness(kit, ModelHarness.exact(1, ""), 25_100_000, 0).withClock();
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    TestProbe<Msg> scheds = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.run.sched = h.stub(scheds, "sched");
    h.realSysmon();
    Atomics a = h.run.atomics;
    a.npidle = 0;
    // Sched's part, done by hand: npidle follows P0 being dropped and taken again.
    ActorRef<ModelHarness.Poke> pidle = h.hook("pidle", p -> a.npidle = p.at() < 20_000_000 ? 1 : 0);
    G g1 = h.g(new Op.Block("x"));
    G g2 = h.g(new Op.Block("y"));
    h.at(p0, new P.Acquire(0, m0, 0, false, g1, false, null));
    h.at(h.run.sysmon, Sysmon.firstTick(h.run));
    // g1 runs 12ms without a schedule: sysmon backs off to 10ms sleeps meanwhile. Then m0 drops
    // P0 (every P idle) and sysmon's next round, at 21.22ms, finds nothing to do: sysmonwait.
    h.at(p0, new P.Drop(12_000_000, 0));
    h.at(pidle, new ModelHarness.Poke(12_000_000));
    h.at(pidle, new ModelHarness.Poke(24_000_000));
    h.at(p0, new P.Acquire(24_000_000, m0, 0, false, g2, false, null));
    // entersyscall at 25ms sees sysmonwait and wakes sysmon: a round now, the next in 20us.
    h.at(p0, new P.EnterSyscall(25_000_000, 0, false, "read"));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());

    List<Msg> toM = ModelHarness.drain(ms);
    assertEquals(3, toM.size(), toM.toString());
    assertEquals(new M.Preempt(11_220_000, 1), toM.get(1), "sysmon had backed off to 10ms sleeps");
    List<Sched.Handoff> handoffs = ModelHarness.only(ModelHarness.drain(scheds), Sched.Handoff.class);
    assertEquals(
        List.of(new Sched.Handoff(12_000_000, 0), new Sched.Handoff(25_020_000, 0)), handoffs,
        "woken at 25ms, sysmon sees the syscall and retakes it one 20us sleep later");
    assertEquals(1, h.run.stats.counter(Counter.SYSMON_WAITS));
    assertEquals(1, h.run.stats.counter(Counter.RETAKES));
    assertFalse(h.run.atomics.sysmonwait);
  }
}
