package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.scenario.Dist;
import dev.gmpsim.protocol.scenario.Step.OnError;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pipes at message level: a real M runs a reader and then a writer or closer on a stubbed P, with
 * the real Netpoller (and, where it matters, a stubbed M blocked in netpoll). A write readies the
 * parked reader only through the netpoller (netpollready, then the poll returns it); a close of
 * the read end readies every reader at once on the closer's P (netpollunblock, goready); a read
 * deadline is a timer that readies the reader with an error; the failed read does its on-error.
 */
class PipeStepsTest extends ModelTest {

  private static final class Rig {
    final ModelHarness h = new ModelHarness(kit, ZeroCosts.scenario(2), 200_000_000L, 0).withClock();
    final TestProbe<Msg> p = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> sched = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> other = kit.createTestProbe(Msg.class);
    final ActorRef<P.Command> p0 = h.stub(p, ZeroCosts.name("p0"));
    final ActorRef<M.Command> m;
    final ActorRef<M.Command> poller;
    final Pipe pipe = new Pipe("p");
    private long at = 1_000;

    Rig() {
      h.run.allp.set(0, p0);
      h.run.sched = h.stub(sched, ZeroCosts.name("sched"));
      h.run.sysmon = h.stub(other, ZeroCosts.name("sysmon"));
      poller = h.stub(other, ZeroCosts.name("m7"));
      h.realNetpoller();
      h.run.pipes.add(pipe);
      m = h.realM(5);
      h.at(m, new M.Start(0, p0, 0, false));
    }

    /** An M (m7) is blocked in netpoll from the start, as the last M without work is. */
    Rig withBlockedPoller() {
      h.run.atomics.lastpoll = Atomics.POLLING;
      h.at(h.run.netpoller, new Netpoller.BlockingPoll(0, poller, 7, false));
      return this;
    }

    /** The M runs {@code g} at {@code t} (after the previous one parked). */
    Rig runs(long t, G g) {
      h.at(m, new M.Execute(t, g, p0, 0, ++at));
      return this;
    }

    List<Msg> finish() {
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
      return ModelHarness.drain(p);
    }
  }

  private static Op.PipeRead read(Dist deadline, OnError onError) {
    return new Op.PipeRead(0, 1, deadline, onError);
  }

  @Test
  void aReaderWithNothingToReadParksOnTheNetpollerHoldingNoM() {
    Rig r = new Rig();
    G reader = r.h.g(read(null, OnError.CONTINUE), new Op.Block("after"));
    r.runs(1_000, reader).finish();
    assertEquals("IO wait", reader.waitReason);
    assertEquals(G.Where.NETPOLL, reader.where);
    assertEquals(1, r.h.run.atomics.netpollWaiters);
    assertTrue(r.pipe.parked);
    assertEquals(reader, r.pipe.reader, "it holds the read lock while parked");
  }

  @Test
  void aWriteReadiesTheParkedReaderThroughTheNetpollerNotTheWritersP() {
    Rig r = new Rig().withBlockedPoller();
    G reader = r.h.g(read(null, OnError.CONTINUE), new Op.Block("after"));
    G writer = r.h.g(new Op.PipeWrite(0, 1), new Op.Block("wrote"));
    List<Msg> p = r.runs(1_000, reader).runs(10_000, writer).finish();
    assertTrue(ModelHarness.only(p, P.RunqPut.class).isEmpty(), "no goready from the writer: " + p);
    List<Sched.NetpollReturned> polled = ModelHarness.only(ModelHarness.drain(r.sched), Sched.NetpollReturned.class);
    assertEquals(1, polled.size());
    assertArrayEquals(new G[] {reader}, polled.get(0).list(), "epoll_wait returned the reader");
    assertEquals(10_000, polled.get(0).at());
    assertEquals(PipeSteps.WOKEN_DATA, reader.pipeWake, "it will read again and find the data");
    assertEquals(1, r.pipe.buffered);
    assertEquals("wrote", writer.waitReason);
  }

  @Test
  void theWokenReaderReadsWhatWasWrittenAndGoesOn() {
    Rig r = new Rig().withBlockedPoller();
    G reader = r.h.g(read(null, OnError.EXIT), new Op.Block("read it"));
    G writer = r.h.g(new Op.PipeWrite(0, 1), new Op.PipeWrite(0, 1), new Op.Block("wrote"));
    r.runs(1_000, reader).runs(10_000, writer).runs(20_000, reader).finish();
    assertEquals("read it", reader.waitReason);
    assertEquals(0, r.pipe.buffered, "one read takes both writes");
    assertNull(r.pipe.reader, "the read lock is free again");
    assertEquals(2, r.h.run.stats.syscallTable().get("read")[0], "EAGAIN, then the read that finds data");
  }

  @Test
  void closingTheReadEndWakesEveryReaderAtOnceOnTheClosersP() {
    Rig r = new Rig();
    G a = r.h.g(read(null, OnError.CONTINUE), new Op.Block("a"));
    G b = r.h.g(read(null, OnError.CONTINUE), new Op.Block("b"));
    G closer = r.h.g(new Op.PipeClose(0, 1, false), new Op.Block("closed"));
    List<Msg> p = r.runs(1_000, a).runs(2_000, b).runs(10_000, closer).finish();
    assertEquals("semacquire", b.waitReason);
    List<P.RunqPut> puts = ModelHarness.only(p, P.RunqPut.class);
    assertEquals(List.of(a, b), puts.stream().map(P.RunqPut::g).toList(),
        "the parked reader (evict) and the one waiting for the read lock");
    assertTrue(puts.stream().allMatch(P.RunqPut::next), "goready: runnext");
    assertTrue(puts.stream().allMatch(x -> x.at() >= 10_000));
    assertEquals(PipeSteps.WOKEN_ERROR, a.pipeWake);
    assertEquals(0, r.h.run.atomics.netpollWaiters);
    assertTrue(r.pipe.closed);
  }

  @Test
  void theSecondReaderWaitsForTheReadLockNotTheNetpoller() {
    Rig r = new Rig();
    G a = r.h.g(read(null, OnError.CONTINUE), new Op.Block("a"));
    G b = r.h.g(read(null, OnError.CONTINUE), new Op.Block("b"));
    r.runs(1_000, a).runs(2_000, b).finish();
    assertEquals("IO wait", a.waitReason);
    assertEquals("semacquire", b.waitReason);
    assertEquals(G.Where.CHAN, b.where);
    assertEquals(List.of(b), List.copyOf(r.pipe.lockq));
    assertEquals(1, r.h.run.atomics.netpollWaiters);
  }

  @Test
  void aFailedReadWithOnErrorBreakLeavesTheLoop() {
    Rig r = new Rig();
    Op.Loop loop = new Op.Loop(0, new Op[] {read(null, OnError.BREAK), new Op.Compute(Dist.constant(1_000))},
        -1, -1, null, -1, true);
    G reader = r.h.g(loop, new Op.Block("after the loop"));
    G closer = r.h.g(new Op.PipeClose(0, 1, false), new Op.Block("closed"));
    r.runs(1_000, reader).runs(10_000, closer).runs(20_000, reader).finish();
    assertEquals("after the loop", reader.waitReason);
    assertEquals(1, r.h.run.stats.syscallTable().get("read")[0], "the woken read failed without a syscall");
  }

  @Test
  void closingTheWriteEndGivesTheReaderEofThroughTheNetpoller() {
    Rig r = new Rig().withBlockedPoller();
    G reader = r.h.g(read(null, OnError.EXIT), new Op.Block("not reached"));
    G closer = r.h.g(new Op.PipeClose(0, 1, true), new Op.Block("closed"));
    List<Msg> p = r.runs(1_000, reader).runs(10_000, closer).runs(20_000, reader).finish();
    assertTrue(ModelHarness.only(p, P.RunqPut.class).isEmpty(), "EPOLLHUP goes through netpoll: " + p);
    assertEquals(G.Status._Gdead, reader.status, "EOF, and on-error: exit returned");
  }

  @Test
  void aReadDeadlineReadiesTheReaderByItsTimerWithAnError() {
    Rig r = new Rig();
    G reader = r.h.g(read(Dist.constant(5_000_000), OnError.CONTINUE), new Op.Block("after"));
    r.runs(1_000, reader).finish();
    List<Sched.Ready> ready = ModelHarness.only(ModelHarness.drain(r.sched), Sched.Ready.class);
    assertEquals(1, ready.size());
    assertEquals(reader, ready.get(0).g());
    assertEquals(5_001_000, ready.get(0).at(), "5ms after the read began");
    assertEquals(PipeSteps.WOKEN_ERROR, reader.pipeWake);
    assertEquals(0, r.h.run.atomics.netpollWaiters);
    assertEquals(0, r.h.run.atomics.timers, "the deadline timer is gone");
  }

  @Test
  void dataBeforeTheDeadlineWinsAndTheStaleTimerReadiesNothing() {
    Rig r = new Rig().withBlockedPoller();
    G reader = r.h.g(read(Dist.constant(5_000_000), OnError.CONTINUE), new Op.Block("after"));
    G writer = r.h.g(new Op.PipeWrite(0, 1), new Op.Block("wrote"));
    r.runs(1_000, reader).runs(10_000, writer).finish();
    List<Msg> s = ModelHarness.drain(r.sched);
    assertTrue(ModelHarness.only(s, Sched.Ready.class).isEmpty(), "the deadline did not fire on it: " + s);
    assertEquals(PipeSteps.WOKEN_DATA, reader.pipeWake);
    assertEquals(0, r.h.run.atomics.timers, "the stale timer left the heap when it ran");
  }

  @Test
  void aGroupWaitingForAFlagIsReadiedWhenItIsSet() {
    Rig r = new Rig();
    r.h.run.flags = new boolean[1];
    r.h.run.flagWaiters.add(new java.util.ArrayDeque<>());
    G launcher = r.h.g(new Op.WaitFlag(0), new Op.Block("started"));
    G setter = r.h.g(new Op.Set(0), new Op.Block("set"));
    List<Msg> p = r.runs(1_000, launcher).runs(10_000, setter).finish();
    P.RunqPut put = assertInstanceOf(P.RunqPut.class, ModelHarness.only(p, P.RunqPut.class).get(0));
    assertEquals(launcher, put.g());
    assertEquals(10_000, put.at());
  }

  @Test
  void aGroupStartingAtATimeSleepsUntilThatTimeNotForIt() {
    Rig r = new Rig();
    G launcher = r.h.g(new Op.SleepUntil(3_000_000), new Op.Block("started"));
    r.runs(1_000_000, launcher).finish();
    List<Sched.Ready> ready = ModelHarness.only(ModelHarness.drain(r.sched), Sched.Ready.class);
    assertEquals(1, ready.size());
    assertEquals(3_000_000, ready.get(0).at(), "at 3ms of the run, though it began sleeping at 1ms");
    assertEquals("sleep", launcher.waitReason);
  }
}
