package dev.gmpsim.model;

import static dev.gmpsim.model.ZeroCosts.drain;
import static dev.gmpsim.model.ZeroCosts.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.scenario.Dist;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real M running a G's program, with stubs for its P, Sched, Sysmon and the netpoller: what
 * the M tells the others for syscalls, cgo and VDSO calls, LockOSThread, spawn and channel
 * semaphores, and at which virtual time (costs are zero unless a test sets them).
 */
class MProgramTest extends ModelTest {

  /** One M (id 5) on a stubbed P0, with every other actor of the run stubbed. */
  private static final class Rig {
    final ModelHarness h;
    final TestProbe<Msg> p = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> sched = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> other = kit.createTestProbe(Msg.class);
    final ActorRef<P.Command> p0;
    final ActorRef<M.Command> m;

    Rig(Scenario sc) {
      this(sc, false);
    }

    /** {@code templateCas}: the Sched stub sets haveTemplateThread as startTemplateThread does. */
    Rig(Scenario sc, boolean templateCas) {
      h = new ModelHarness(kit, sc, 200_000_000L, 0).withClock();
      p0 = h.stub(p, ZeroCosts.name("p0"));
      h.run.allp.set(0, p0);
      h.run.sched = templateCas ? schedWithCas(h, sched) : h.stub(sched, ZeroCosts.name("sched"));
      h.run.sysmon = h.stub(other, ZeroCosts.name("sysmon"));
      h.run.netpoller = h.stub(other, ZeroCosts.name("netpoller"));
      m = h.realM(5);
    }

    /** startm gives the M P0 at 0, then P0 hands it {@code g} at {@code at}. */
    Rig run(G g, long at) {
      h.at(m, new M.Start(0, p0, 0, false));
      h.at(m, new M.Execute(at, g, p0, 0, 1));
      return this;
    }

    void finishOk() {
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
    }

    /** What P0 got after the M's acquirep. */
    List<Msg> pAfterAcquire() {
      List<Msg> got = drain(p);
      assertInstanceOf(P.Acquire.class, got.get(0), "startm: the M first acquires P0");
      return got.subList(1, got.size());
    }
  }

  /** A Sched stub that also does startTemplateThread's CAS on haveTemplateThread. */
  private static ActorRef<Sched.Command> schedWithCas(ModelHarness h, TestProbe<Msg> probe) {
    Behavior<Msg> b =
        Behaviors.receiveMessage(
            msg -> {
              if (msg instanceof Sched.StartTemplateThread) {
                h.run.atomics.haveTemplateThread = true;
              }
              probe.getRef().tell(msg);
              h.run.events.deliverNext();
              return Behaviors.same();
            });
    return kit.<Msg>spawn(b, ZeroCosts.name("sched-cas")).narrow();
  }

  private static long[] row(ModelHarness h, String name) {
    return h.run.stats.syscallTable().get(name);
  }

  @Test
  void aSyscallShorterThanSysmonsMinimumDelayRunsInlineWithoutTellingTheP() {
    // Two sysmon rounds are at least 20us apart, so a 19.999us call can never be retaken.
    Rig r = new Rig(ZeroCosts.scenario(2));
    G g = r.h.g(new Op.Syscall("getpid", Dist.constant(19_999), false), new Op.Block("after"));
    r.run(g, 1_000).finishOk();

    List<Msg> p = r.pAfterAcquire();
    assertEquals(1, p.size(), "only schedule() after the G parks: " + p);
    P.Schedule s = assertInstanceOf(P.Schedule.class, p.get(0));
    assertEquals(1_000 + 19_999, s.at(), "the call's time is added in place");
    assertTrue(drain(r.sched).isEmpty());
    assertTrue(drain(r.other).isEmpty(), "sysmon is not woken: it is not waiting");
    assertEquals(1, r.h.run.stats.counter(Counter.SYSCALLS));
    assertEquals(1, r.h.run.stats.counter(Counter.EXITSYSCALL_FAST));
    assertEquals(19_999, row(r.h, "getpid")[1]);
  }

  @Test
  void aShortSyscallWakesSysmonWhenItSleepsOnSysmonwait() {
    Rig r = new Rig(ZeroCosts.scenario(2));
    r.h.run.atomics.sysmonwait = true;
    G g = r.h.g(new Op.Syscall("getpid", Dist.constant(1_000), false), new Op.Block("after"));
    r.run(g, 1_000).finishOk();
    List<Msg> s = drain(r.other);
    assertEquals(1, s.size());
    assertEquals(1_000, assertInstanceOf(Sysmon.Wake.class, s.get(0)).at());
    assertEquals(1, r.pAfterAcquire().size(), "still no entersyscall message to the P");
  }

  @ParameterizedTest(name = "entersyscall={0}ns kernel={1}ns")
  @CsvSource({"0, 0", "40, 1000"})
  void aLongSyscallEntersAndExitsThroughTheP(long enter, long kernel) {
    Rig r = new Rig(ZeroCosts.scenario(2, "entersyscall: " + enter + "ns", "syscall: " + kernel + "ns"));
    // Exactly sysmon's 20us (with the kernel entry cost, more) is already too long to go inline.
    G g =
        r.h.g(
            new Op.Syscall("read", Dist.constant(1_000_000), false),
            new Op.Syscall("nanosleep", Dist.constant(20_000), false),
            new Op.Block("after"));
    r.run(g, 1_000);
    long entry = 1_000 + enter;
    long back = entry + kernel + 1_000_000;
    // exitsyscallfast won: the P answers Resume (here the test, standing in for the P).
    r.h.at(r.m, new M.Resume(back + 500, r.p0, 0));
    long entry2 = back + 500 + enter;
    r.h.at(r.m, new M.Resume(entry2 + kernel + 20_000 + 500, r.p0, 0));
    r.finishOk();

    List<Msg> p = r.pAfterAcquire();
    assertEquals(5, p.size(), p.toString());
    P.EnterSyscall e = assertInstanceOf(P.EnterSyscall.class, p.get(0));
    assertEquals(entry, e.at());
    assertEquals(5, e.mid());
    assertFalse(e.block());
    assertEquals("read", e.name());
    P.ExitSyscall x = assertInstanceOf(P.ExitSyscall.class, p.get(1));
    assertEquals(back, x.at(), "the kernel returns at entry + cost + duration");
    assertSame(g, x.g());
    assertEquals(r.m, x.m());
    assertEquals(entry2, assertInstanceOf(P.EnterSyscall.class, p.get(2)).at());
    assertEquals(entry2 + kernel + 20_000, assertInstanceOf(P.ExitSyscall.class, p.get(3)).at());
    assertInstanceOf(P.Schedule.class, p.get(4));
    assertTrue(drain(r.sched).isEmpty());
    assertEquals(2, r.h.run.stats.counter(Counter.SYSCALLS));
    assertEquals(0, r.h.run.stats.counter(Counter.EXITSYSCALL_FAST), "counted by the P, stubbed here");
    assertEquals(0, r.h.run.atomics.msInSyscall);
  }

  @Test
  void entersyscallblockIsMarkedForThePToHandOffAtOnce() {
    Rig r = new Rig(ZeroCosts.scenario(2));
    G g = r.h.g(new Op.Syscall("fsync", Dist.constant(2_000), true), new Op.Block("after"));
    r.run(g, 1_000);
    r.h.at(r.m, new M.Resume(10_000, r.p0, 0));
    r.finishOk();
    List<Msg> p = r.pAfterAcquire();
    P.EnterSyscall e = assertInstanceOf(P.EnterSyscall.class, p.get(0));
    assertTrue(e.block(), "even a 2us call: the runtime knows it blocks");
    assertEquals(3_000, assertInstanceOf(P.ExitSyscall.class, p.get(1)).at());
  }

  @Test
  void aThreadBlockedInTheKernelTakesItsWakeUpBeforeExitsyscall() {
    // Slack 7us for sleeping calls, 3us for other calls that slept; none for short ones.
    Rig r = new Rig(ZeroCosts.scenario(2, "timer-slack: 7us", "syscall-wakeup: 3us"));
    G g =
        r.h.g(
            new Op.Syscall("nanosleep", Dist.constant(1_000), false), // inline: 1us + 7us slack
            new Op.Syscall("read", Dist.constant(19_000), false), // inline, ran on the CPU
            new Op.Syscall("read", Dist.constant(1_000_000), false), // slept: + 3us
            new Op.Syscall("read", Dist.constant(1_000_000), false, Dist.constant(0)), // own: 0
            new Op.Cgo(Dist.constant(100_000)), // a C call that slept: + the slack
            new Op.Block("after"));
    r.run(g, 1_000);
    long e1 = 1_000 + 8_000 + 19_000;
    r.h.at(r.m, new M.Resume(e1 + 1_003_000, r.p0, 0));
    long e2 = e1 + 1_003_000;
    r.h.at(r.m, new M.Resume(e2 + 1_000_000, r.p0, 0));
    long e3 = e2 + 1_000_000;
    r.h.at(r.m, new M.Resume(e3 + 107_000, r.p0, 0));
    r.finishOk();

    List<Msg> p = r.pAfterAcquire();
    assertEquals(7, p.size(), p.toString());
    assertEquals(e1, assertInstanceOf(P.EnterSyscall.class, p.get(0)).at());
    assertEquals(e1 + 1_003_000, assertInstanceOf(P.ExitSyscall.class, p.get(1)).at());
    assertEquals(e2 + 1_000_000, assertInstanceOf(P.ExitSyscall.class, p.get(3)).at());
    assertEquals(e3 + 107_000, assertInstanceOf(P.ExitSyscall.class, p.get(5)).at());
    assertEquals(2, r.h.run.stats.counter(Counter.EXITSYSCALL_FAST), "the two inline calls");
  }

  @Test
  void aShortCgoCallRunsOnTheCpuWithoutAWakeUp() {
    Rig r = new Rig(ZeroCosts.scenario(2, "timer-slack: 7us", "syscall-wakeup: 3us"));
    G g = r.h.g(new Op.Cgo(Dist.constant(19_999)), new Op.Block("after"));
    r.run(g, 1_000).finishOk();
    List<Msg> p = r.pAfterAcquire();
    assertEquals(1, p.size(), "no entersyscall: " + p);
    assertEquals(1_000 + 19_999, assertInstanceOf(P.Schedule.class, p.get(0)).at());
  }

  @Test
  void anOpenLoopPeerLeavesDataWaitingForAGoroutineThatFellBehind() {
    // net-read {every: 1ms, first: 500us}: requests arrive at 1.5ms, 2.5ms, 3.5ms, ... from the
    // first read at 1ms. The G parks for the first; busy (5ms of compute) until 6.5ms, it then
    // finds the next ones already there and reads them without parking, up to the one due at
    // 7.5ms, for which it parks again.
    Rig r = new Rig(ZeroCosts.scenario(2));
    Op read = new Op.NetRead(Dist.constant(0), false, Dist.constant(1_000_000), Dist.constant(500_000));
    G g =
        r.h.g(
            read,
            new Op.Compute(Dist.constant(5_000_000)),
            read, read, read, read, read, read,
            new Op.Block("after"));
    r.run(g, 1_000_000);
    // The netpoller (stubbed) readies the G at 1.5ms; P0 runs it again at once.
    r.h.at(r.m, new M.Execute(1_500_000, g, r.p0, 0, 2));
    r.h.at(r.m, new M.Execute(7_500_000, g, r.p0, 0, 3));
    r.finishOk();

    List<Netpoller.Park> parks = ZeroCosts.only(drain(r.other), Netpoller.Park.class);
    assertEquals(2, parks.size(), parks.toString());
    assertEquals(1_000_000, parks.get(0).at());
    assertEquals(1_500_000, parks.get(0).readyAt(), "the first request, 500us after the first read");
    // Busy until 6.5ms: the requests of 2.5 .. 6.5ms were waiting; the one of 7.5ms was not.
    assertEquals(6_500_000, parks.get(1).at());
    assertEquals(7_500_000, parks.get(1).readyAt());
    assertEquals(7 + 2, r.h.run.stats.syscallTable().get("read")[0], "7 reads, 2 re-reads after parking");
  }

  @Test
  void cgoAddsTheCallOverheadAndCountsCgoCalls() {
    Rig r = new Rig(ZeroCosts.scenario(2, "cgo-call: 100ns"));
    G g =
        r.h.g(
            new Op.Cgo(Dist.constant(5_000)),
            new Op.Cgo(Dist.constant(50_000_000)),
            new Op.Block("after"));
    r.run(g, 1_000);
    // The short call goes inline: 1000 + 100 + 5000; the long one enters after its overhead.
    long entry = 1_000 + 100 + 5_000 + 100;
    r.h.at(r.m, new M.Resume(entry + 50_000_000 + 1_000, r.p0, 0));
    r.finishOk();

    List<Msg> p = r.pAfterAcquire();
    assertEquals(3, p.size(), p.toString());
    P.EnterSyscall e = assertInstanceOf(P.EnterSyscall.class, p.get(0));
    assertEquals(entry, e.at());
    assertEquals("cgo", e.name());
    assertEquals(entry + 50_000_000, assertInstanceOf(P.ExitSyscall.class, p.get(1)).at());
    assertEquals(2, r.h.run.stats.counter(Counter.CGO_CALLS));
    assertEquals(2, row(r.h, "cgo")[0]);
    assertEquals(50_005_000, row(r.h, "cgo")[1]);
  }

  @Test
  void requestStartAndEndMarkWhatRequestLatencyMeasures() {
    Rig r = new Rig(ZeroCosts.scenario(2));
    G g = r.h.g(new Op.Compute(Dist.constant(5_000)), new Op.RequestStart(),
        new Op.Compute(Dist.constant(3_000)), new Op.RequestEnd(),
        new Op.Compute(Dist.constant(7_000)), new Op.Block("after"));
    r.run(g, 1_000).finishOk();
    assertEquals(1, r.h.run.stats.requestLatency.getTotalCount());
    var h = r.h.run.stats.requestLatency;
    assertEquals(3_000, h.lowestEquivalentValue(h.getMaxValue()), "from request-start to request-end only");
  }

  @Test
  void aRawSyscallKeepsThePAndIsListedUnderItsName() {
    Rig r = new Rig(ZeroCosts.scenario(2, "syscall: 100ns"));
    G g = r.h.g(new Op.RawSyscall("epoll_ctl", Dist.constant(2_000)), new Op.Block("after"));
    r.run(g, 1_000).finishOk();
    List<Msg> p = r.pAfterAcquire();
    assertEquals(1, p.size(), "no entersyscall, no EnterSyscall to the P: " + p);
    assertEquals(1_000 + 100 + 2_000, assertInstanceOf(P.Schedule.class, p.get(0)).at());
    assertEquals(0, r.h.run.stats.counter(Counter.SYSCALLS));
    assertEquals(1, row(r.h, "epoll_ctl")[0]);
    assertEquals(2_100, row(r.h, "epoll_ctl")[1], "the kernel's entry and exit and the call");
  }

  @ParameterizedTest(name = "vdso available: {0}")
  @ValueSource(booleans = {true, false})
  void aVdsoCallNeverTellsThePAndCostsVdsoOrTheFallback(boolean vdso) {
    Rig r =
        new Rig(
            ZeroCosts.scenario(2, List.of("vdso: " + vdso), "vdso: 50ns", "vdso-fallback: 1us"));
    G g = r.h.g(new Op.Vdso("clock_gettime"), new Op.Vdso("clock_gettime"), new Op.Block("after"));
    r.run(g, 1_000).finishOk();

    List<Msg> p = r.pAfterAcquire();
    assertEquals(1, p.size(), p.toString());
    long cost = vdso ? 50 : 1_000;
    assertEquals(1_000 + 2 * cost, assertInstanceOf(P.Schedule.class, p.get(0)).at());
    assertTrue(drain(r.sched).isEmpty());
    assertTrue(drain(r.other).isEmpty());
    assertEquals(2, r.h.run.stats.counter(Counter.VDSO_CALLS));
    assertEquals(0, r.h.run.stats.counter(Counter.SYSCALLS), "no entersyscall either way");
    if (vdso) {
      assertNull(row(r.h, "clock_gettime"), "a VDSO call never enters the kernel");
    } else {
      assertEquals(2, row(r.h, "clock_gettime")[0]);
      assertEquals(2_000, row(r.h, "clock_gettime")[1]);
    }
  }

  @Test
  void lockOSThreadStartsTheTemplateThreadOnlyTheFirstTime() {
    Rig r = new Rig(ZeroCosts.scenario(2), true);
    TestProbe<Msg> p1probe = kit.createTestProbe(Msg.class);
    ActorRef<P.Command> p1 = r.h.stub(p1probe, ZeroCosts.name("p1"));
    r.h.run.allp.set(1, p1);
    ActorRef<M.Command> m6 = r.h.realM(6);
    G first = r.h.g(new Op.Lock(true), new Op.Unlock(true), new Op.Block("first"));
    G second = r.h.g(new Op.Lock(true), new Op.Unlock(true), new Op.Block("second"));
    r.run(first, 1_000);
    r.h.at(m6, new M.Start(0, p1, 1, false));
    r.h.at(m6, new M.Execute(5_000, second, p1, 1, 1));
    r.finishOk();

    List<Msg> s = drain(r.sched);
    assertEquals(1, s.size(), "once haveTemplateThread is set nobody asks again: " + s);
    assertEquals(1_000, assertInstanceOf(Sched.StartTemplateThread.class, s.get(0)).at());
  }

  @Test
  void theRuntimesInternalLockDuringInitStartsNoTemplateThread() {
    Rig r = new Rig(ZeroCosts.scenario(2));
    G main = r.h.g(new Op.Lock(false), new Op.Unlock(false), new Op.Block("after"));
    r.run(main, 1_000).finishOk();
    assertTrue(drain(r.sched).isEmpty());
    assertInstanceOf(P.Schedule.class, r.pAfterAcquire().get(0));
  }

  @Test
  void withTheRealSchedTwoLockingGoroutinesMakeOneTemplateThread() {
    ModelHarness h = new ModelHarness(kit, ZeroCosts.scenario(2), 100_000_000L, 0).withClock();
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    ActorRef<P.Command> p0 = h.stub(ps, ZeroCosts.name("p0"));
    ActorRef<P.Command> p1 = h.stub(ps, ZeroCosts.name("p1"));
    h.run.allp.set(0, p0);
    h.run.allp.set(1, p1);
    h.realSched(4); // Ms 0..3 exist: the template thread will be M4
    h.run.sysmon = h.stub(ps, ZeroCosts.name("sysmon"));
    h.run.netpoller = h.stub(ps, ZeroCosts.name("netpoller"));
    ActorRef<M.Command> ma = h.realM(2);
    ActorRef<M.Command> mb = h.realM(3);
    h.run.atomics.mcount = 4;
    h.at(ma, new M.Start(0, p0, 0, false));
    h.at(mb, new M.Start(0, p1, 1, false));
    h.at(ma, new M.Execute(1_000, h.g(new Op.Lock(true), new Op.Block("a")), p0, 0, 1));
    h.at(mb, new M.Execute(50_000, h.g(new Op.Lock(true), new Op.Block("b")), p1, 1, 1));
    h.start();
    assertEquals("ok", h.awaitEnd().outcome());
    assertEquals(1, h.run.stats.counter(Counter.TEMPLATE_THREADS));
    assertEquals(1, h.run.stats.counter(Counter.MS_CREATED), "the template thread is one more M");
    assertTrue(h.run.atomics.haveTemplateThread);
    assertEquals(5, h.run.atomics.mcount);
    assertEquals("template", h.run.mview(4).state);
  }

  @Test
  void aLockedGoroutineThatParksMakesItsMHandOffThePAndWait() {
    Rig r = new Rig(ZeroCosts.scenario(2));
    G g = r.h.g(new Op.Lock(true), new Op.Block("chan receive"));
    r.run(g, 1_000).finishOk();

    List<Msg> p = r.pAfterAcquire();
    assertEquals(1, p.size(), "stoplockedm: handoffp instead of schedule(): " + p);
    P.Drop d = assertInstanceOf(P.Drop.class, p.get(0));
    assertEquals(1_000, d.at());
    assertEquals(5, d.mid());
    assertEquals("locked_wait", r.h.run.mview(5).state);
    assertEquals(-1, r.h.run.mview(5).p);
    assertEquals(g.id, r.h.run.mview(5).lockedg);
    assertEquals(1, r.h.run.atomics.nmidlelocked);
    assertEquals(G.Status._Gwaiting, g.status);
  }

  @Test
  void aLockedGoroutineWokenLaterRunsOnItsOwnMAgain() {
    Rig r = new Rig(ZeroCosts.scenario(2));
    r.h.realNetpoller();
    r.h.run.atomics.npidle = 0;
    G g = r.h.g(new Op.Lock(true), new Op.Sleep(Dist.constant(1_000_000)),
        new Op.Compute(Dist.constant(10_000)), new Op.Block("after"));
    r.run(g, 1_000);
    // The timer readies g through Sched (stubbed) at 1.001ms; some P's schedule() then hands it
    // to its locked M (startlockedm), as the test does here at 2ms.
    r.h.at(r.m, new M.Execute(2_000_000, g, r.p0, 0, 2));
    r.finishOk();

    List<Msg> p = r.pAfterAcquire();
    assertEquals(2, p.size(), p.toString());
    assertEquals(1_000, assertInstanceOf(P.Drop.class, p.get(0)).at());
    assertEquals(2_010_000, assertInstanceOf(P.Drop.class, p.get(1)).at());
    List<Sched.Ready> ready = only(drain(r.sched), Sched.Ready.class);
    assertEquals(1, ready.size());
    assertEquals(1_001_000, ready.get(0).at());
    assertEquals(1, r.h.run.atomics.nmidlelocked, "waiting again, counted once");
  }

  @Test
  void aLockedGoroutineThatExitsDestroysItsM() {
    Rig r = new Rig(ZeroCosts.scenario(2));
    G g = r.h.g(new Op.Lock(true), new Op.Compute(Dist.constant(3_000)), new Op.Exit());
    r.run(g, 1_000).finishOk();

    List<Msg> p = r.pAfterAcquire();
    assertEquals(1, p.size(), p.toString());
    assertEquals(4_000, assertInstanceOf(P.Drop.class, p.get(0)).at(), "mexit: handoffp(releasep())");
    List<Sched.MExit> exits = only(drain(r.sched), Sched.MExit.class);
    assertEquals(1, exits.size());
    assertEquals(5, exits.get(0).mid());
    assertEquals(4_000, exits.get(0).at());
    assertEquals(1, r.h.run.stats.counter(Counter.LOCKED_MS_DESTROYED));
    assertTrue(r.h.run.mview(5).dead);
    assertEquals(G.Status._Gdead, g.status);
  }

  @Test
  void anUnlockedGoroutineThatExitsLeavesItsMToSchedule() {
    Rig r = new Rig(ZeroCosts.scenario(2));
    G g = r.h.g(new Op.Lock(true), new Op.Unlock(true), new Op.Exit());
    r.run(g, 1_000).finishOk();
    List<Msg> p = r.pAfterAcquire();
    assertEquals(1, p.size(), p.toString());
    assertInstanceOf(P.Schedule.class, p.get(0));
    assertTrue(only(drain(r.sched), Sched.MExit.class).isEmpty());
    assertEquals(0, r.h.run.stats.counter(Counter.LOCKED_MS_DESTROYED));
    assertFalse(r.h.run.mview(5).dead);
  }

  @ParameterizedTest(name = "gomaxprocs={0} nmspinning={1}: wakep={2}")
  @CsvSource({"2, 0, true", "1, 0, false", "2, 1, false"})
  void spawnPutsTheChildInRunnextAndWakesAPOnlyIfOneIsIdleAndNoMSpins(
      int procs, int spinning, boolean wakes) {
    Rig r = new Rig(ZeroCosts.scenario(procs, List.of("go-version: \"1.19\""), "newproc: 300ns"));
    r.h.run.atomics.nmspinning = spinning;
    G g = r.h.g(new Op.Spawn(new Op[] {new Op.Block("child")}, false), new Op.Block("parent"));
    r.run(g, 1_000).finishOk();

    List<Msg> p = r.pAfterAcquire();
    assertEquals(2, p.size(), p.toString());
    P.RunqPut put = assertInstanceOf(P.RunqPut.class, p.get(0));
    assertTrue(put.next(), "newproc: runqput(pp, newg, true)");
    assertEquals(1_300, put.at());
    assertEquals(G.Status._Grunnable, put.g().status);
    assertEquals(1_300, put.g().runnableSince);
    assertInstanceOf(P.Schedule.class, p.get(1));
    List<Msg> s = drain(r.sched);
    if (wakes) {
      assertEquals(1, s.size(), s.toString());
      assertEquals(1_300, assertInstanceOf(Sched.WakeP.class, s.get(0)).at());
    } else {
      assertTrue(s.isEmpty(), s.toString());
    }
  }

  @Test
  void aSemaphoreAcquireParksWhenFullAndTheReleaseReadiesTheWaiter() {
    Rig r = new Rig(ZeroCosts.scenario(2, List.of("go-version: \"1.19\""), "gopark: 100ns"));
    r.h.run.atomics.npidle = 0;
    Chan sem = new Chan("sem", 1);
    r.h.run.chans.add(sem);
    TestProbe<Msg> p1probe = kit.createTestProbe(Msg.class);
    ActorRef<P.Command> p1 = r.h.stub(p1probe, ZeroCosts.name("p1"));
    r.h.run.allp.set(1, p1);
    ActorRef<M.Command> m6 = r.h.realM(6);
    G holder =
        r.h.g(new Op.Send(0), new Op.Compute(Dist.constant(1_000_000)), new Op.Recv(0), new Op.Block("holder"));
    G waiter = r.h.g(new Op.Send(0), new Op.Block("waiter"));
    r.run(holder, 1_000);
    r.h.at(m6, new M.Start(0, p1, 1, false));
    r.h.at(m6, new M.Execute(100_000, waiter, p1, 1, 1));
    r.finishOk();

    // The waiter finds the semaphore full and parks (gopark: no M held, P1 schedules).
    List<Msg> onP1 = drain(p1probe);
    assertEquals(2, onP1.size(), onP1.toString());
    assertEquals(100_000 + 100 + 100, assertInstanceOf(P.Schedule.class, onP1.get(1)).at());
    // The holder acquires at once, computes 1ms, releases: the waiter goes to the holder's
    // runnext (ready), and takes the freed slot.
    List<Msg> onP0 = r.pAfterAcquire();
    assertEquals(2, onP0.size(), onP0.toString());
    P.RunqPut put = assertInstanceOf(P.RunqPut.class, onP0.get(0));
    assertSame(waiter, put.g());
    assertTrue(put.next());
    assertEquals(1_000 + 100 + 1_000_000 + 100, put.at());
    assertEquals(G.Status._Grunnable, waiter.status);
    assertEquals(1, sem.count, "the waiter's value took the released slot");
    assertTrue(sem.sendq.isEmpty());
    assertTrue(drain(r.sched).isEmpty(), "no idle P: no wakep");
  }

  @Test
  void aReleaseWithWaitersAndAnIdlePWakesAP() {
    Rig r = new Rig(ZeroCosts.scenario(2));
    Chan sem = new Chan("sem", 1);
    r.h.run.chans.add(sem);
    sem.count = 1;
    G waiter = r.h.g(new Op.Block("never runs here"));
    waiter.status = G.Status._Gwaiting;
    sem.sendq.add(waiter);
    waiter.place(G.Where.CHAN, r.h.run.stats);
    G holder = r.h.g(new Op.Recv(0), new Op.Block("holder"));
    r.run(holder, 1_000).finishOk();
    List<Msg> s = drain(r.sched);
    assertEquals(1, s.size(), s.toString());
    assertInstanceOf(Sched.WakeP.class, s.get(0));
    assertEquals(G.Where.TRANSIT, waiter.where, "in the RunqPut to the (stubbed) P");
  }
}
