package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Dist;
import dev.gmpsim.protocol.scenario.Fault;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The environment faults at the message level: syscall-hang and syscall-latency in the kernel
 * layer a real M consults, gomaxprocs (stop-the-world, then procresize in a real Sched and real
 * Ps), max-threads (SetMaxThreads in a real Sched).
 */
class EnvironmentFaultsTest extends ModelTest {

  static Fault call(Fault.Kind kind, String syscall, Dist by) {
    return new Fault(null, kind, null, null, null, null, null, null, by, null, null, syscall, null, null, null);
  }

  static Fault at(Fault.Kind kind, long at, Integer procs, Integer threads) {
    return new Fault(null, kind, null, null, null, null, null, null, null, threads, null, null, at, procs, null);
  }

  /** A real M (m5) on a stub P0 makes a 1ms read at 1ms; what P0 hears of it. */
  private static final class SyscallRig {
    final ModelHarness h;
    final TestProbe<Msg> p = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> other = kit.createTestProbe(Msg.class);

    SyscallRig(Scenario sc) {
      h = new ModelHarness(kit, sc, 100_000_000L, 0).withClock();
      ActorRef<P.Command> p0 = h.stub(p, ZeroCosts.name("p0"));
      h.run.allp.set(0, p0);
      h.run.sched = h.stub(other, ZeroCosts.name("sched"));
      h.run.sysmon = h.stub(other, ZeroCosts.name("sysmon"));
      h.run.netpoller = h.stub(other, ZeroCosts.name("netpoller"));
      ActorRef<M.Command> m = h.realM(5);
      G g = h.g(new Op.Syscall("read", Dist.constant(1_000_000), false), new Op.Block("after"));
      h.at(m, new M.Start(0, p0, 0, false));
      h.at(m, new M.Execute(1_000_000, g, p0, 0, 1));
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
    }

    List<Msg> heard() {
      return ModelHarness.drain(p);
    }
  }

  @Test
  void aHungReadEntersTheKernelAndNeverComesBack() {
    List<Msg> plain = new SyscallRig(ZeroCosts.scenario(2)).heard();
    assertEquals(1, ModelHarness.only(plain, P.EnterSyscall.class).size());
    assertEquals(2_000_000, ModelHarness.only(plain, P.ExitSyscall.class).get(0).at());

    SyscallRig other = new SyscallRig(ZeroCosts.scenario(2).withFaults(
        List.of(call(Fault.Kind.SYSCALL_HANG, "write", null))));
    assertEquals(1, ModelHarness.only(other.heard(), P.ExitSyscall.class).size(), "a hang of write leaves read alone");

    SyscallRig hung = new SyscallRig(ZeroCosts.scenario(2).withFaults(
        List.of(call(Fault.Kind.SYSCALL_HANG, "read", null))));
    List<Msg> heard = hung.heard();
    assertEquals(1, ModelHarness.only(heard, P.EnterSyscall.class).size(), "the P goes to _Psyscall: sysmon can retake it");
    assertEquals(List.of(), ModelHarness.only(heard, P.ExitSyscall.class), "the read never returns");
    RunSummary.FaultReport r = hung.h.run.faults.report().get(0);
    assertEquals(List.of(new RunSummary.Firing(1_000_000, "M[5]", "read", "hang")), r.firings());
    assertEquals(1, hung.h.run.atomics.msInSyscall, "the thread stays in the kernel");
  }

  @Test
  void aLatencySpikeIsAddedToTheCall() {
    SyscallRig slow = new SyscallRig(ZeroCosts.scenario(2).withFaults(
        List.of(call(Fault.Kind.SYSCALL_LATENCY, "read", Dist.constant(3_000_000)))));
    assertEquals(5_000_000, ModelHarness.only(slow.heard(), P.ExitSyscall.class).get(0).at(), "1ms asked, 3ms added");
    assertEquals(List.of(new RunSummary.Firing(1_000_000, "M[5]", "read", "latency +3ms")),
        slow.h.run.faults.report().get(0).firings());
  }

  /** Real Sched and Ps 0-3, stub Ms, sysmon and netpoller; GOMAXPROCS 4 -> procs at 1ms. */
  private static final class ResizeRig {
    final ModelHarness h;
    final TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> other = kit.createTestProbe(Msg.class);
    final ActorRef<M.Command> m7;

    ResizeRig(int from, int procs) {
      Scenario sc = ZeroCosts.scenario(from).withFaults(List.of(at(Fault.Kind.GOMAXPROCS, 1_000_000, procs, null)));
      h = new ModelHarness(kit, sc, 100_000_000L, 0).withClock();
      h.run.sysmon = h.stub(other, ZeroCosts.name("sysmon"));
      h.run.netpoller = h.stub(other, ZeroCosts.name("netpoller"));
      h.realSched(2);
      for (int i = 0; i < from; i++) {
        h.realP(i);
      }
      m7 = h.stub(ms, ZeroCosts.name("m7"));
      for (Clock.Out o : h.run.faults.initial()) {
        h.at(o.to(), o.msg());
      }
    }
  }

  @Test
  void shrinkingDestroysPsAndTheirQueuesGoGlobal() {
    ResizeRig rig = new ResizeRig(4, 2);
    G a = rig.h.g(new Op.Block("a"));
    G b = rig.h.g(new Op.Block("b"));
    rig.h.at(rig.h.run.allp.get(3), new P.RunqPut(0, a, false));
    rig.h.at(rig.h.run.allp.get(3), new P.RunqPut(0, b, false));
    rig.h.start();
    assertEquals("ok", rig.h.awaitEnd().outcome());
    Atomics at = rig.h.run.atomics;
    assertEquals(2, at.gomaxprocs());
    assertEquals(P._Pdead, at.pStatus[2]);
    assertEquals(P._Pdead, at.pStatus[3]);
    assertEquals(0, at.pRunqLen[3]);
    // startTheWorld: an M was started for the idle P1, took both from the global queue and ran them.
    assertEquals(G.Where.BLOCKED, a.where);
    assertEquals(G.Where.BLOCKED, b.where);
    assertTrue(a.m < 0 && at.mcount == 3, "one new M (m2) ran them: mcount " + at.mcount);
    RunSummary.Firing f = rig.h.run.faults.report().get(0).firings().get(0);
    assertEquals(1_000_000, f.atNs());
    assertEquals("stop the world 1ns, procresize 4 -> 2", f.action());
  }

  @Test
  void aPDestroyedInASyscallSendsItsMToTheSlowPath() {
    ResizeRig rig = new ResizeRig(4, 2);
    ActorRef<P.Command> p2 = rig.h.run.allp.get(2);
    G g = rig.h.g(new Op.Block("g"));
    rig.h.at(p2, new P.Acquire(0, rig.m7, 7, false, g, false, null));
    rig.h.at(p2, new P.EnterSyscall(500_000, 7, false, "read"));
    rig.h.at(p2, new P.ExitSyscall(2_000_000, rig.m7, 7, g));
    rig.h.start();
    assertEquals("ok", rig.h.awaitEnd().outcome());
    List<Msg> heard = ModelHarness.drain(rig.ms);
    List<M.Resume> resumed = ModelHarness.only(heard, M.Resume.class);
    assertEquals(1, resumed.size(), heard.toString());
    assertEquals(1, resumed.get(0).pid(), "P2 is gone: exitsyscall took the idle P1");
    assertEquals(2_000_000, resumed.get(0).at());
  }

  @Test
  void aPThatSurvivesInASyscallIsTakenFromItsMByTheStopTheWorld() {
    ResizeRig rig = new ResizeRig(4, 2);
    ActorRef<P.Command> p0 = rig.h.run.allp.get(0);
    G g = rig.h.g(new Op.Block("g"));
    rig.h.at(p0, new P.Acquire(0, rig.m7, 7, false, g, false, null));
    rig.h.at(p0, new P.EnterSyscall(500_000, 7, false, "read"));
    rig.h.at(p0, new P.ExitSyscall(2_000_000, rig.m7, 7, g));
    rig.h.start();
    assertEquals("ok", rig.h.awaitEnd().outcome());
    List<M.Resume> resumed = ModelHarness.only(ModelHarness.drain(rig.ms), M.Resume.class);
    assertEquals(1, resumed.size());
    assertEquals(2_000_000, resumed.get(0).at());
    assertEquals(0, rig.h.run.stats.counter(Counter.RETAKES), "not a retake");
    // P0 went idle at the stop-the-world (procresize handed it on), so the M, back at 2ms, took
    // an idle P by exitsyscallfast_pidle instead of P0 by the CAS.
    assertEquals(1, rig.h.run.stats.counter(Counter.HANDOFFS), "procresize handed P0 on");
    assertEquals(0, rig.h.run.stats.counter(Counter.EXITSYSCALL_SLOW));
    assertEquals(7, rig.h.run.atomics.pM[resumed.get(0).pid()]);
  }

  @Test
  void growingMakesNewIdlePs() {
    ResizeRig rig = new ResizeRig(2, 3);
    int idleBefore = rig.h.run.atomics.npidle;
    rig.h.start();
    assertEquals("ok", rig.h.awaitEnd().outcome());
    Atomics at = rig.h.run.atomics;
    assertEquals(3, at.gomaxprocs());
    assertEquals(3, rig.h.run.allp.size());
    assertEquals(P._Pidle, at.pStatus[2]);
    assertTrue(at.pIdle[2]);
    assertEquals(idleBefore + 1, at.npidle);
  }

  @Test
  void anMThatHeldADestroyedPLetsGoAndStops() {
    ResizeRig rig = new ResizeRig(4, 2);
    ActorRef<P.Command> p3 = rig.h.run.allp.get(3);
    G g = rig.h.g(new Op.Block("g"));
    rig.h.at(p3, new P.Acquire(0, rig.m7, 7, false, g, false, null));
    // The M runs g until 3ms, then comes back to schedule() on P3.
    rig.h.at(p3, new P.Schedule(3_000_000, 7));
    rig.h.start();
    assertEquals("ok", rig.h.awaitEnd().outcome());
    List<Msg> heard = ModelHarness.drain(rig.ms);
    List<M.Preempt> preempt = ModelHarness.only(heard, M.Preempt.class);
    assertEquals(1, preempt.size(), "the stop-the-world preempts the G on the P being destroyed: " + heard);
    assertEquals(1_000_001, preempt.get(0).at());
    assertEquals(1, ModelHarness.only(heard, M.Stopped.class).size(), "at its next schedule the M stops: " + heard);
    assertEquals(P._Pdead, rig.h.run.atomics.pStatus[3]);
  }

  @Test
  void aHandoffOrReleaseOfADestroyedPOnItsWayDoesNotPutItBackOnTheIdleList() {
    ResizeRig rig = new ResizeRig(4, 2);
    rig.h.at(rig.h.run.sched, new Sched.Handoff(2_000_000, 3));
    rig.h.at(rig.h.run.sched, new Sched.ReleaseP(2_000_000, 2, rig.m7, 7, false));
    rig.h.start();
    assertEquals("ok", rig.h.awaitEnd().outcome());
    Atomics at = rig.h.run.atomics;
    assertTrue(!at.pIdle[2] && !at.pIdle[3], "dead Ps are on no idle list");
    assertEquals(1, at.npidle, "P1 only (P0 was never idle)");
    assertEquals(1, ModelHarness.only(ModelHarness.drain(rig.ms), M.Stopped.class).size(), "the M that let go of P2 stops");
  }

  /** A real Sched with stub Ps: three handoffs with work make m2, m3, m4 (mcount 3, 4, 5). */
  private static Clock.Finished threads(Fault setMax) {
    Scenario sc = ModelHarness.exact(2, "").withFaults(List.of(setMax));
    ModelHarness h = new ModelHarness(kit, sc, 1_000_000, 0).withClock();
    TestProbe<Msg> ps = kit.createTestProbe(Msg.class);
    for (int i = 0; i < 2; i++) {
      h.run.allp.set(i, h.stub(ps, ZeroCosts.name("p" + i)));
    }
    h.realSched(2);
    h.run.atomics.pRunqLen[0] = 1;
    for (Clock.Out o : h.run.faults.initial()) {
      h.at(o.to(), o.msg());
    }
    h.at(h.run.sched, new Sched.Handoff(500, 0));
    h.at(h.run.sched, new Sched.Handoff(600, 0));
    h.at(h.run.sched, new Sched.Handoff(3_000, 0));
    h.start();
    Clock.Finished fin = h.awaitEnd();
    assertEquals(List.of(new RunSummary.Firing(1_000, "sched", "SetMaxThreads", "SetMaxThreads(" + setMax.threads() + ")")),
        h.run.faults.report().get(0).firings());
    return fin;
  }

  @Test
  void setMaxThreadsBelowTheThreadCountIsFatalAtOnce() {
    Clock.Finished fin = threads(at(Fault.Kind.MAX_THREADS, 1_000, null, 3));
    assertEquals("fatal: runtime: program exceeds 3-thread limit", fin.outcome());
    assertEquals(1_000, fin.virtualTimeNs(), "setMaxThreads calls checkmcount: 4 threads > 3");
  }

  @Test
  void setMaxThreadsIsFatalAtTheFirstThreadPastIt() {
    Clock.Finished fin = threads(at(Fault.Kind.MAX_THREADS, 1_000, null, 4));
    assertEquals("fatal: runtime: program exceeds 4-thread limit", fin.outcome());
    assertEquals(3_000, fin.virtualTimeNs(), "m4 would be the fifth thread");
  }
}
