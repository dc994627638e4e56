package dev.gmpsim.model;

import static dev.gmpsim.model.ZeroCosts.drain;
import static dev.gmpsim.model.ZeroCosts.only;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real Netpoller with stubs for Sched, P0 and the M that blocks in netpoll: descriptors
 * becoming ready, timers, netpollBreak, epoll_wait's millisecond timeouts and the
 * netpollWaiters count across Go versions.
 */
class NetpollerTest extends ModelTest {

  private static final class Rig {
    final ModelHarness h;
    final TestProbe<Msg> sched = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> p = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> m = kit.createTestProbe(Msg.class);
    final ActorRef<Netpoller.Command> np;
    final ActorRef<M.Command> m7;

    Rig(Scenario sc) {
      h = new ModelHarness(kit, sc, 100_000_000L, 0).withClock();
      h.run.atomics.netpollInited = true;
      h.run.sched = h.stub(sched, ZeroCosts.name("sched"));
      h.run.allp.set(0, h.stub(p, ZeroCosts.name("p0")));
      h.run.sysmon = h.stub(m, ZeroCosts.name("sysmon"));
      m7 = h.stub(m, ZeroCosts.name("m7"));
      np = h.realNetpoller();
    }

    /** What Sched.release does before it sends BlockingPoll (sched.lastpoll = 0). */
    Rig mGoesIntoNetpoll() {
      h.run.atomics.lastpoll = Atomics.POLLING;
      return this;
    }

    void finishOk() {
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
    }

    /** A goroutine that parks on a descriptor at {@code at}, its data arriving at {@code readyAt}. */
    G parked(long at, long readyAt) {
      G g = h.g(new Op.Block("x"));
      h.at(np, new Netpoller.Park(at, g, readyAt));
      return g;
    }
  }

  private static Scenario go(String version, String... costs) {
    return ZeroCosts.scenario(2, List.of("go-version: \"" + version + "\""), costs);
  }

  @Test
  void aReadyDescriptorWakesTheMBlockedInNetpollAfterAFutexWake() {
    Rig r = new Rig(go("1.22", "futex-wake: 33us")).mGoesIntoNetpoll();
    G g = r.h.g(new Op.Block("x"));
    r.h.at(r.np, new Netpoller.BlockingPoll(0, r.m7, 7, true));
    r.h.at(r.np, new Netpoller.Park(100, g, 1_000_000));
    r.finishOk();

    List<Msg> s = drain(r.sched);
    assertEquals(1, s.size(), s.toString());
    Sched.NetpollReturned ret = assertInstanceOf(Sched.NetpollReturned.class, s.get(0));
    assertEquals(1_033_000, ret.at(), "data at 1ms, the poller runs after a wake-up");
    assertSame(r.m7, ret.m());
    assertEquals(7, ret.mid());
    assertTrue(ret.wasSpinning());
    assertArrayEquals(new G[] {g}, ret.list());
    assertEquals(1_000_000, g.lastReady);
    assertTrue(drain(r.p).isEmpty());
    assertTrue(drain(r.m).isEmpty(), "the M hears from Sched, not from the netpoller");
    assertEquals(0, r.h.run.atomics.pollUntil);
  }

  @Test
  void theWokenPollerReturnsWhatIsReadyWhenItRunsAgainNotOnlyWhatWokeIt() {
    // netpoll.go: epoll_wait copies out the ready events when the woken thread runs, so data
    // that arrives during the wake-up comes back in the same list (and injectglist spreads it).
    Rig r = new Rig(go("1.19", "futex-wake: 33us")).mGoesIntoNetpoll();
    r.h.at(r.np, new Netpoller.BlockingPoll(0, r.m7, 7, false));
    G first = r.parked(100, 1_000_000);
    G during = r.parked(200, 1_020_000);
    r.parked(300, 1_040_000);
    r.finishOk();

    List<Msg> s = drain(r.sched);
    assertEquals(1, s.size(), s.toString());
    Sched.NetpollReturned ret = assertInstanceOf(Sched.NetpollReturned.class, s.get(0));
    assertEquals(1_033_000, ret.at());
    assertArrayEquals(new G[] {first, during}, ret.list(), "ready at 1.02ms, before the M ran");
    assertEquals(1, r.h.run.atomics.netpollReady, "the one ready at 1.04ms waits for the next poll");
  }

  /**
   * Without faults the event list applies a descriptor's readiness to the epoll state itself
   * (Netpoller.Readiness) instead of delivering FdReady to the netpoller: the same event, at the
   * same place in the order, counted the same, and the woken poller returns the same list.
   */
  @Test
  void readinessAppliedByTheEventListIsTheSameEventAsFdReadyThroughTheMailbox() {
    long[] events = new long[2];
    long[] inPlace = new long[2];
    for (int i = 0; i < 2; i++) {
      Rig r = new Rig(go("1.19", "futex-wake: 33us")).mGoesIntoNetpoll();
      r.h.run.inPlace = i == 0;
      r.h.at(r.np, new Netpoller.BlockingPoll(0, r.m7, 7, false));
      G first = r.parked(100, 1_000_000);
      G during = r.parked(200, 1_020_000);
      G late = r.parked(2_000_000, 1_500_000); // parked after its data came
      r.h.at(r.np, new Netpoller.Poll(2_000_001, 0));
      r.h.start();
      Clock.Finished end = r.h.awaitEnd();
      assertEquals("ok", end.outcome());
      events[i] = end.events();
      inPlace[i] = r.h.run.events.handledInPlace();

      Sched.NetpollReturned ret = assertInstanceOf(Sched.NetpollReturned.class, drain(r.sched).get(0));
      assertEquals(1_033_000, ret.at());
      assertArrayEquals(new G[] {first, during}, ret.list());
      List<P.Polled> polled = only(drain(r.p), P.Polled.class);
      assertArrayEquals(new G[] {late}, polled.get(0).list(), "readiness at the park, before the poll");
      assertEquals(1_500_000, late.lastReady, "a request counts from its data");
    }
    assertEquals(events[1], events[0], "the same events either way");
    assertTrue(inPlace[0] >= 3, "the three readinesses were applied in place: " + inPlace[0]);
    assertEquals(0, inPlace[1], "every message through the mailbox");
  }

  /**
   * A message another actor addressed with the ref spawn returned is the netpoller's own next
   * message all the same: the running netpoller takes it in place (EventList.same), though that
   * ref is another object than its context's self.
   */
  @Test
  void theNextMessageToTheRunningActorIsTakenInPlaceWhicheverRefNamedIt() {
    Rig r = new Rig(go("1.22"));
    r.parked(100, 900_000_000);
    r.parked(200, 900_000_000);
    r.finishOk();
    assertEquals(1, r.h.run.events.handledInPlace(), "the second Park, after the first, without the mailbox");
    assertEquals(2, r.h.run.atomics.netpollWaiters);
  }

  @Test
  void oneNetpollReturnsAtMost128Descriptors() {
    Rig r = new Rig(go("1.19", "netpoll: 500ns"));
    G[] gs = new G[200];
    for (int i = 0; i < gs.length; i++) {
      gs[i] = r.h.g(new Op.Block("x"));
      r.h.at(r.np, new Netpoller.Park(i, gs[i], 1_000_000 + i));
    }
    r.h.at(r.np, new Netpoller.Poll(2_000_000, 0));
    r.h.at(r.np, new Netpoller.Poll(3_000_000, 0));
    r.finishOk();

    List<P.Polled> p = only(drain(r.p), P.Polled.class);
    assertEquals(2, p.size(), p.toString());
    assertArrayEquals(java.util.Arrays.copyOfRange(gs, 0, 128), p.get(0).list(), "events[128]");
    assertArrayEquals(java.util.Arrays.copyOfRange(gs, 128, 200), p.get(1).list(), "the rest, in order");
  }

  @Test
  void withNobodyBlockedAReadyGoroutineWaitsForTheNextNonBlockingPoll() {
    Rig r = new Rig(go("1.22", "netpoll: 500ns"));
    G g = r.h.g(new Op.Block("x"));
    r.h.at(r.np, new Netpoller.Park(100, g, 1_000_000));
    r.h.at(r.np, new Netpoller.Poll(500_000, 0));
    r.h.at(r.np, new Netpoller.Poll(3_000_000, 0));
    r.h.at(r.np, new Netpoller.Poll(4_000_000, 0));
    r.finishOk();

    assertTrue(drain(r.sched).isEmpty(), "readiness alone tells nobody");
    List<Msg> p = drain(r.p);
    assertEquals(3, p.size(), p.toString());
    P.Polled early = assertInstanceOf(P.Polled.class, p.get(0));
    assertEquals(500_500, early.at());
    assertEquals(0, early.list().length, "not ready yet");
    P.Polled found = assertInstanceOf(P.Polled.class, p.get(1));
    assertEquals(3_000_500, found.at());
    assertArrayEquals(new G[] {g}, found.list());
    assertEquals(0, assertInstanceOf(P.Polled.class, p.get(2)).list().length, "returned once");
  }

  @ParameterizedTest(name = "go {0} npidle={1} nmspinning={2}: wakep={3}")
  @CsvSource({
    "1.19, 1, 0, true", "1.19, 0, 0, false", "1.19, 1, 1, false",
    // From 1.21 wakep does not look for an idle P first (it sets needspinning without one).
    "1.22, 0, 0, true", "1.22, 1, 1, false"
  })
  void aTimerWithNoBlockedPollerWakesAPOnlyIfNoMSpinsAndOnOldGoOnlyWithAnIdleP(
      String version, int npidle, int spinning, boolean wakes) {
    Rig r = new Rig(go(version));
    r.h.run.atomics.npidle = npidle;
    r.h.run.atomics.nmspinning = spinning;
    G g = r.h.g(new Op.Block("x"));
    r.h.at(r.np, new Netpoller.AddTimer(1_000, g, 2_000_000));
    r.finishOk();

    List<Msg> s = drain(r.sched);
    assertEquals(wakes ? 2 : 1, s.size(), s.toString());
    if (wakes) {
      assertEquals(1_000, assertInstanceOf(Sched.WakeP.class, s.get(0)).at());
    }
    Sched.Ready ready = assertInstanceOf(Sched.Ready.class, s.get(s.size() - 1));
    assertEquals(2_000_000, ready.at(), "the timer readies its goroutine on time");
    assertSame(g, ready.g());
    assertEquals(0, r.h.run.atomics.timers);
  }

  @Test
  void anEarlierTimerBreaksTheBlockedPollWithNetpollBreak() {
    Rig r = new Rig(go("1.22", "futex-wake: 10us")).mGoesIntoNetpoll();
    r.h.run.atomics.npidle = 0;
    G late = r.h.g(new Op.Block("late"));
    G early = r.h.g(new Op.Block("early"));
    r.h.at(r.np, new Netpoller.AddTimer(0, late, 10_000_000));
    r.h.at(r.np, new Netpoller.BlockingPoll(100, r.m7, 7, false));
    r.h.at(r.np, new Netpoller.AddTimer(200, early, 5_000_000));
    r.finishOk();

    List<Msg> s = drain(r.sched);
    assertEquals(3, s.size(), s.toString());
    Sched.NetpollReturned ret = assertInstanceOf(Sched.NetpollReturned.class, s.get(0));
    assertEquals(200 + 10_000, ret.at(), "pollUntil 10ms > 5ms: netpollBreak at once");
    assertEquals(0, ret.list().length);
    // Nobody polls any more: both timers ready their goroutines through Sched, and the old
    // epoll_wait timeout (9ms) is forgotten.
    assertEquals(5_000_000, assertInstanceOf(Sched.Ready.class, s.get(1)).at());
    assertEquals(10_000_000, assertInstanceOf(Sched.Ready.class, s.get(2)).at());
  }

  @Test
  void aLaterTimerLeavesTheBlockedPollAlone() {
    Rig r = new Rig(go("1.22", "timer-slack: 50us")).mGoesIntoNetpoll();
    r.h.run.atomics.npidle = 0;
    G soon = r.h.g(new Op.Block("soon"));
    G later = r.h.g(new Op.Block("later"));
    r.h.at(r.np, new Netpoller.AddTimer(0, soon, 3_000_100));
    r.h.at(r.np, new Netpoller.BlockingPoll(100, r.m7, 7, false));
    r.h.at(r.np, new Netpoller.AddTimer(200, later, 20_000_000));
    r.finishOk();

    List<Msg> s = drain(r.sched);
    assertEquals(2, s.size(), s.toString());
    Sched.NetpollReturned ret = assertInstanceOf(Sched.NetpollReturned.class, s.get(0));
    assertEquals(3_050_100, ret.at(), "epoll_wait(3ms) times out; no netpollBreak for the 20ms timer");
    assertArrayEquals(new G[] {soon}, ret.list(), "the blocked M runs the timer it waited for");
    assertEquals(20_000_000, assertInstanceOf(Sched.Ready.class, s.get(1)).at());
  }

  @Test
  void checkTimersRunsATimerThatFiredWhileAnMSleepsInNetpollAndLeavesDescriptorsToEpoll() {
    // The runtime keeps timers on the Ps: a P in schedule() runs the due ones without waiting
    // for the M asleep in epoll_wait (1ms). Descriptors stay epoll's.
    Rig r = new Rig(go("1.19", "futex-wake: 33us")).mGoesIntoNetpoll();
    G sleeper = r.h.g(new Op.Block("sleeper"));
    G reader = r.h.g(new Op.Block("reader"));
    r.h.at(r.np, new Netpoller.AddTimer(0, sleeper, 200_000));
    r.h.at(r.np, new Netpoller.BlockingPoll(10_000, r.m7, 7, false));
    r.h.at(r.np, new Netpoller.Park(0, reader, 250_000));
    r.h.at(r.np, new Netpoller.RunTimers(260_000, 0));
    r.finishOk();

    List<Msg> toP = drain(r.p);
    assertEquals(1, toP.size(), toP.toString());
    P.TimersRun run = assertInstanceOf(P.TimersRun.class, toP.get(0));
    assertEquals(260_000, run.at());
    assertArrayEquals(new G[] {sleeper}, run.list(), "only the timer");
    assertEquals(0, r.h.run.atomics.timersDue);
    List<Msg> s = drain(r.sched);
    Sched.NetpollReturned ret = assertInstanceOf(Sched.NetpollReturned.class, s.get(0));
    assertEquals(283_000, ret.at(), "the descriptor woke the poller: 250us + 33us");
    assertArrayEquals(new G[] {reader}, ret.list(), "the poller returns the descriptor only");
  }

  @Test
  void timersAreKeptPerPForHandoffpAndWakeNetPollerBreaksALongerPoll() {
    Rig r = new Rig(go("1.19", "futex-wake: 33us")).mGoesIntoNetpoll();
    G a = r.h.g(new Op.Block("a"));
    G b = r.h.g(new Op.Block("b"));
    r.h.at(r.np, new Netpoller.AddTimer(0, a, 50_000_000, 1));
    r.h.at(r.np, new Netpoller.AddTimer(0, b, 30_000_000, 1));
    r.h.at(r.np, new Netpoller.BlockingPoll(10, r.m7, 7, false)); // waits 29ms for b
    // handoffp of a P whose earliest timer is at 2ms: the poller would sleep past it.
    r.h.at(r.np, new Netpoller.WakeNetPoller(1_000_000, 2_000_000));
    r.finishOk();
    List<Msg> s = drain(r.sched);
    assertEquals(1_033_000, assertInstanceOf(Sched.NetpollReturned.class, s.get(0)).at(), "netpollBreak");
    assertEquals(Long.MAX_VALUE, r.h.run.atomics.pTimerNext[1], "both of P1's timers fired");
    assertEquals(Long.MAX_VALUE, r.h.run.atomics.pTimerNext[0]);
  }

  @Test
  void aTimerAddedWhileTheNetpollingMIsOnItsWayBackStartsNoOtherM() {
    // wakeNetPoller: while sched.lastpoll == 0 an M is in (or just back from) netpoll and will
    // look at the timers; proc.go then only calls netpollBreak, never wakep.
    Rig r = new Rig(go("1.22", "futex-wake: 33us")).mGoesIntoNetpoll();
    G reader = r.h.g(new Op.Block("reader"));
    G sleeper = r.h.g(new Op.Block("sleeper"));
    r.h.at(r.np, new Netpoller.BlockingPoll(0, r.m7, 7, false));
    r.h.at(r.np, new Netpoller.Park(0, reader, 1_000_000));
    // The poller was woken at 1ms and runs again at 1.033ms; a P adds a timer in between.
    r.h.at(r.np, new Netpoller.AddTimer(1_010_000, sleeper, 5_000_000));
    r.finishOk();

    List<Msg> s = drain(r.sched);
    assertEquals(2, s.size(), "no WakeP: " + s);
    assertEquals(1_033_000, assertInstanceOf(Sched.NetpollReturned.class, s.get(0)).at());
    assertEquals(5_000_000, assertInstanceOf(Sched.Ready.class, s.get(1)).at());
  }

  @ParameterizedTest(name = "timer in {0}ns: epoll_wait({1}ms)")
  @CsvSource({"1, 1", "300000, 1", "999999, 1", "1000000, 1", "2500000, 2", "7999999, 7"})
  void aBlockedPollWaitsForTimersInWholeMilliseconds(long delay, long waitMs) {
    Rig r = new Rig(go("1.22", "timer-slack: 50us")).mGoesIntoNetpoll();
    r.h.run.atomics.npidle = 0;
    G g = r.h.g(new Op.Block("sleeper"));
    long at = 10_000;
    r.h.at(r.np, new Netpoller.AddTimer(0, g, at + delay));
    r.h.at(r.np, new Netpoller.BlockingPoll(at, r.m7, 7, false));
    r.finishOk();

    List<Msg> s = drain(r.sched);
    Sched.NetpollReturned ret = assertInstanceOf(Sched.NetpollReturned.class, s.get(0));
    long wake = at + waitMs * 1_000_000 + 50_000;
    assertEquals(wake, ret.at(), "whole milliseconds, then the kernel's timer slack");
    if (at + delay <= wake) {
      assertArrayEquals(new G[] {g}, ret.list(), "the timer fired while the M slept");
    } else {
      // Rounded down: the M wakes before its timer, finds nothing and would poll again.
      assertEquals(0, ret.list().length);
      assertEquals(at + delay, assertInstanceOf(Sched.Ready.class, s.get(1)).at());
    }
  }

  @ParameterizedTest(name = "go {0}")
  @ValueSource(strings = {"1.19", "1.21", "1.22", "1.25"})
  void netpollWaitersGoesDownWhenNetpollReturnsAGoroutineOnlyFromGo122(String version) {
    boolean adjusts = Integer.parseInt(version.substring(2)) >= 22;
    Rig r = new Rig(go(version));
    G a = r.h.g(new Op.Block("a"));
    G b = r.h.g(new Op.Block("b"));
    r.h.at(r.np, new Netpoller.Park(0, a, 1_000_000));
    r.h.at(r.np, new Netpoller.Park(0, b, 1_000_000));
    // a through a non-blocking poll from P0's findRunnable, b through a blocked M.
    r.h.at(r.np, new Netpoller.Poll(1_500_000, 0));
    r.h.at(r.np, new Netpoller.Park(2_000_000, b, 3_000_000));
    r.h.at(r.np, new Netpoller.BlockingPoll(2_500_000, r.m7, 7, false));
    r.finishOk();

    assertEquals(2, ((P.Polled) drain(r.p).get(0)).list().length);
    Sched.NetpollReturned ret = (Sched.NetpollReturned) drain(r.sched).get(0);
    assertArrayEquals(new G[] {b}, ret.list());
    assertEquals(adjusts ? 0 : 3, r.h.run.atomics.netpollWaiters,
        adjusts ? "netpollAdjustWaiters" : "before 1.22 only deadlines and closes lowered it");
    assertTrue(r.h.run.atomics.netpollInited);
  }
}
