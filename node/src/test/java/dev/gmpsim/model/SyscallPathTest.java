package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.scenario.Dist;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Go 1.26 removed _Psyscall: a P whose goroutine is in a syscall stays _Prunning and wired to
 * its M, and sysmon retakes it through the G's status. The decisions are the 1.19-1.25 ones; what
 * the runtime shows of the P in the meantime differs.
 */
class SyscallPathTest extends ModelTest {

  /** What scheddetail would print for P0 at a moment: status and m. */
  record Shown(long at, int status, int m) {}

  @ParameterizedTest(name = "go {0}: P in a syscall shows status={1}, m={2}")
  @CsvSource({"1.25, 2, -1", "1.26, 1, 0"})
  void aLongSyscallIsRetakenAfterTwoRoundsOnBothPathsAndShownAsEachRuntimeShowsIt(
      String go, int shownStatus, int shownM) {
    ModelHarness h = new ModelHarness(kit, ModelHarness.scenario(
        "runtime: {gomaxprocs: 1, go-version: \"" + go + "\"}\nworkload:\n  - kind: goroutines\n    steps: [block]\n"),
        5_000_000, 0).withClock();
    SyscallPath path = SyscallPath.of(h.run.runtime);
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.realSched(2);
    h.realSysmon();
    h.realNetpoller();
    h.run.atomics.npidle = 0;
    G running = h.g(new Op.Block("x"));
    G queued = h.g(new Op.Compute(Dist.constant(5_000_000)), new Op.Block("y"));
    List<Shown> shown = new ArrayList<>();
    ActorRef<ModelHarness.Poke> look = h.hook("look", poke -> shown.add(new Shown(poke.at(),
        path.shownStatus(h.run.atomics.pStatus[0]),
        path.shownM(h.run.atomics.pStatus[0], h.run.atomics.pM[0], h.run.atomics.pSyscallM[0]))));
    h.at(p0, new P.Acquire(0, m0, 0, false, running, false, null));
    h.at(p0, new P.RunqPut(10, queued, false));
    h.at(p0, new P.EnterSyscall(100_000, 0, false, "read"));
    h.at(look, new ModelHarness.Poke(110_000));
    h.at(p0, new P.ExitSyscall(1_100_000, m0, 0, running));
    h.at(h.run.sysmon, new Sysmon.Tick(60_000, 0));
    h.start();

    assertEquals(running, ms.expectMessageClass(M.Execute.class).g());
    Msg next = ms.receiveMessage();
    assertInstanceOf(M.Stopped.class, next, "the returning M finds its P taken, no idle P: it stops");
    assertTrue(next.at() >= 1_100_000);
    assertEquals("ok", h.awaitEnd().outcome());
    assertEquals(1, h.run.stats.counter(Counter.RETAKES), "retaken after two sysmon rounds");
    assertEquals(1, h.run.stats.counter(Counter.HANDOFFS));
    assertEquals(1, h.run.stats.counter(Counter.EXITSYSCALL_SLOW));
    assertEquals(0, h.run.stats.counter(Counter.EXITSYSCALL_FAST));
    assertEquals(List.of(new Shown(110_000, shownStatus, shownM)), shown,
        "during the syscall, go " + go + " shows P0 as status=" + shownStatus + " m=" + shownM);
  }

  @ParameterizedTest(name = "go {0}")
  @CsvSource({"1.25", "1.26"})
  void aShortSyscallKeepsItsPOnTheFastPath(String go) {
    ModelHarness h = new ModelHarness(kit, ModelHarness.scenario(
        "runtime: {gomaxprocs: 1, go-version: \"" + go + "\"}\nworkload:\n  - kind: goroutines\n    steps: [block]\n"),
        5_000_000, 0).withClock();
    TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    ActorRef<M.Command> m0 = h.stub(ms, "m0");
    ActorRef<P.Command> p0 = h.realP(0);
    h.realSched(2);
    h.realSysmon();
    h.realNetpoller();
    h.run.atomics.npidle = 0;
    G running = h.g(new Op.Block("x"));
    h.at(p0, new P.Acquire(0, m0, 0, false, running, false, null));
    h.at(p0, new P.EnterSyscall(100_000, 0, false, "read"));
    h.at(p0, new P.ExitSyscall(105_000, m0, 0, running));
    h.at(h.run.sysmon, new Sysmon.Tick(60_000, 0));
    h.start();
    assertEquals(running, ms.expectMessageClass(M.Execute.class).g());
    assertInstanceOf(M.Resume.class, ms.receiveMessage(), "back on its own P");
    assertEquals("ok", h.awaitEnd().outcome());
    assertEquals(1, h.run.stats.counter(Counter.EXITSYSCALL_FAST));
    assertEquals(0, h.run.stats.counter(Counter.RETAKES));
    assertEquals(-1, h.run.atomics.pSyscallM[0], "out of the syscall: no thread holds P0 in one");
  }
}
