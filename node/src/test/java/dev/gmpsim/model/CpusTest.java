package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.scenario.Dist;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel's CPUs beneath the runtime (Cpus): a thread woken from a syscall runs exitsyscall
 * only once it has a CPU; it waits behind threads running bursts, a background load takes CPUs
 * away, a woken sleeper preempts a thread in a long compute step (which then ends later), and
 * with a CPU free nothing changes.
 */
class CpusTest extends ModelTest {

  /** A P with a stub M0 that returns from a 10us..20us syscall; zero costs, {@code machine} as given. */
  private static final class Rig {
    final ModelHarness h;
    final TestProbe<Msg> ms = kit.createTestProbe(Msg.class);
    final ActorRef<M.Command> m0;
    final ActorRef<P.Command> p0;
    final G g;

    Rig(String machine) {
      StringBuilder y = new StringBuilder("runtime:\n  gomaxprocs: 2\n  costs:\n");
      for (String c : ZeroCosts.COSTS) {
        y.append("    ").append(c).append(": 0ns\n");
      }
      if (machine != null) {
        y.append("machine: ").append(machine).append('\n');
      }
      y.append("workload:\n  - kind: goroutines\n    steps: [block]\n");
      h = new ModelHarness(kit, ModelHarness.scenario(y.toString()), 50_000_000L, 0).withClock();
      m0 = h.stub(ms, ZeroCosts.name("m0"));
      p0 = h.realP(0);
      h.realSched(2);
      h.realNetpoller();
      TestProbe<Msg> sysmon = kit.createTestProbe(Msg.class);
      h.run.sysmon = h.stub(sysmon, ZeroCosts.name("sysmon"));
      g = h.g(new Op.Block("x"));
      h.at(p0, new P.Acquire(0, m0, 0, false, g, false, null));
      h.at(p0, new P.EnterSyscall(10_000, 0, false, "read"));
      h.at(p0, new P.ExitSyscall(20_000, m0, 0, g));
    }

    /** Another thread (M5) runs a burst from 0 to {@code until}. */
    Rig busy(int m, long until) {
      h.run.cpus.start(m + 1, 0);
      h.run.cpus.off(m + 1, until);
      return this;
    }

    /** When M0 is told it has its P back. */
    long resumedAt() {
      h.start();
      assertEquals(g, ms.expectMessageClass(M.Execute.class).g());
      M.Resume r = assertInstanceOf(M.Resume.class, ms.receiveMessage());
      assertEquals("ok", h.awaitEnd().outcome());
      return r.at();
    }
  }

  @Test
  void aWokenThreadWaitsForABusyCpuAndRunsWhenItFrees() {
    Rig r = new Rig("{cpus: 1}").busy(5, 60_000);
    assertEquals(60_000, r.resumedAt(), "exitsyscall runs when M5's burst ends at 60us, not at 20us");
    assertEquals(40_000, r.h.run.cpus.summary(0, 100_000, new HrTimers(1)).waitMaxNs(), 1_000, "the wait is recorded");
  }

  @Test
  void withACpuFreeTheReturnIsWhenItWasWithoutTheModel() {
    assertEquals(20_000, new Rig("{cpus: 2}").busy(5, 60_000).resumedAt());
    assertEquals(20_000, new Rig(null).resumedAt(), "no machine: no CPU model at all");
    assertNull(new Rig(null).h.run.cpus);
  }

  @Test
  void aBackgroundLoadTakesTheFreeCpuAndTheWokenThreadWaits() {
    assertEquals(20_000, new Rig("{cpus: 2}").busy(5, 60_000).resumedAt());
    assertEquals(60_000, new Rig("{cpus: 2, background: 1}").busy(5, 60_000).resumedAt(),
        "one CPU is the other processes': M0 waits for M5's");
  }

  @Test
  void aBackgroundLoadThatStartsLaterOnlyCountsFromThen() {
    assertEquals(20_000, new Rig("{cpus: 2, background: {from: [{at: 0s, cpus: 0}, {at: 1ms, cpus: 1}]}}")
        .busy(5, 60_000).resumedAt());
  }

  @Test
  void aWokenSleeperPreemptsALongComputeStepWhichEndsLaterByWhatTheSleeperRan() {
    // M5 (real) computes 1ms from 0 on the only CPU; M0 wakes at 20us and runs 30us.
    Rig r = new Rig("{cpus: 1}");
    TestProbe<Msg> p1 = kit.createTestProbe(Msg.class);
    ActorRef<P.Command> p1ref = r.h.stub(p1, ZeroCosts.name("p1"));
    r.h.run.allp.set(1, p1ref);
    ActorRef<M.Command> m5 = r.h.realM(5);
    G spinner = r.h.g(new Op.Compute(Dist.constant(1_000_000)), new Op.Block("done"));
    r.h.at(m5, new M.Start(0, p1ref, 1, false)); // woken on the free CPU
    r.h.at(m5, new M.Execute(0, spinner, p1ref, 1, 1));
    ActorRef<ModelHarness.Poke> blocks = r.h.hook("m0-blocks", poke -> r.h.run.cpus.off(1, poke.at()));
    r.h.at(blocks, new ModelHarness.Poke(50_000));
    assertEquals(20_000, r.resumedAt(), "the sleeper does not wait for the spinner");
    List<Msg> toP1 = ModelHarness.drain(p1);
    P.Schedule s = ModelHarness.only(toP1, P.Schedule.class).get(0);
    assertEquals(1_030_000, s.at(), "the 1ms step ends 30us late: the sleeper's run was taken from it");
    assertEquals(1, r.h.run.cpus.summary(0, 2_000_000, new HrTimers(1)).preemptions());
  }
}
