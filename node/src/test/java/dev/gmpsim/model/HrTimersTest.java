package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.gmpsim.protocol.scenario.Dist;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel's timers beneath the runtime (HrTimers): a sleeping syscall ends when the clock event
 * of its CPU fires, which is the end of its slack when it sleeps alone and the end of another
 * timer's window when one closes first inside its own; windows on other CPUs and windows not
 * yet open change nothing; a program's own slack shortens the window; the time from the
 * interrupt to the thread running is timer-wakeup.
 */
class HrTimersTest extends ModelTest {

  /** Two real Ms (M5 on P0, M6 on P1) whose Ps are probes; zero costs except those given. */
  private static final class Rig {
    final ModelHarness h;
    final TestProbe<Msg> p0Probe = kit.createTestProbe(Msg.class);
    final TestProbe<Msg> p1Probe = kit.createTestProbe(Msg.class);
    final ActorRef<P.Command> p0;
    final ActorRef<P.Command> p1;
    final ActorRef<M.Command> m5;
    final ActorRef<M.Command> m6;

    Rig(String machine, String runtimeExtra, String... costs) {
      StringBuilder y = new StringBuilder("runtime:\n  gomaxprocs: 2\n");
      if (runtimeExtra != null) {
        y.append("  ").append(runtimeExtra).append('\n');
      }
      y.append("  costs:\n");
      for (String c : ZeroCosts.COSTS) {
        String v = "0ns";
        for (String given : costs) {
          if (given.startsWith(c + ":")) {
            v = given.substring(c.length() + 1).trim();
          }
        }
        y.append("    ").append(c).append(": \"").append(v).append("\"\n");
      }
      if (machine != null) {
        y.append("machine: ").append(machine).append('\n');
      }
      y.append("workload:\n  - kind: goroutines\n    steps: [block]\n");
      h = new ModelHarness(kit, ModelHarness.scenario(y.toString()), 10_000_000L, 0).withClock();
      p0 = h.stub(p0Probe, ZeroCosts.name("p0"));
      p1 = h.stub(p1Probe, ZeroCosts.name("p1"));
      h.run.allp.set(0, p0);
      h.run.allp.set(1, p1);
      TestProbe<Msg> other = kit.createTestProbe(Msg.class);
      h.run.sched = h.stub(other, ZeroCosts.name("sched"));
      h.run.sysmon = h.stub(other, ZeroCosts.name("sysmon"));
      h.run.netpoller = h.stub(other, ZeroCosts.name("netpoller"));
      m5 = h.realM(5);
      m6 = h.realM(6);
    }

    /** M{@code m} gets a G that calls nanosleep({@code sleep}) at {@code at}. */
    Rig sleeper(ActorRef<M.Command> m, ActorRef<P.Command> p, int pid, long at, String sleep) {
      G g = h.g(new Op.Syscall("nanosleep", Dist.parse(sleep), false, null), new Op.Block("after"));
      h.at(m, new M.Start(0, p, pid, false));
      h.at(m, new M.Execute(at, g, p, pid, 1));
      return this;
    }

    /** When each P heard its M's nanosleep return, P0 first. */
    long[] returns() {
      h.start();
      assertEquals("ok", h.awaitEnd().outcome());
      return new long[] {exitAt(p0Probe), exitAt(p1Probe)};
    }

    private static long exitAt(TestProbe<Msg> probe) {
      List<P.ExitSyscall> exits = ZeroCosts.only(ZeroCosts.drain(probe), P.ExitSyscall.class);
      return exits.isEmpty() ? -1 : exits.get(0).at();
    }
  }

  @Test
  void aLoneSleeperWakesAtTheEndOfItsSlack() {
    Rig rig = new Rig("{cpus: 1}", null);
    rig.sleeper(rig.m5, rig.p0, 0, 0, "100us");
    assertEquals(150_000, rig.returns()[0], "100us asked + Linux's default 50us slack, nothing else armed");
  }

  @Test
  void aWindowClosingInsideAnotherOnTheSameCpuEndsBoth() {
    Rig one = new Rig("{cpus: 1}", null);
    one.sleeper(one.m5, one.p0, 0, 0, "100us").sleeper(one.m6, one.p1, 1, 0, "80us");
    long[] r = one.returns();
    assertEquals(130_000, r[1], "M6's window [80us, 130us] closes first");
    assertEquals(130_000, r[0], "M5's window [100us, 150us] is open at 130us: the same interrupt ends it");
    assertEquals(1, one.h.run.hrtimers.cutShort(), "one timer expired before its slack ran out");
    assertEquals(20_000, one.h.run.hrtimers.meanSavedNs());
  }

  @Test
  void windowsOnOtherCpusOrNotYetOpenChangeNothing() {
    Rig two = new Rig("{cpus: 2}", null);
    two.sleeper(two.m5, two.p0, 0, 0, "100us").sleeper(two.m6, two.p1, 1, 0, "80us");
    long[] r = two.returns();
    assertEquals(150_000, r[0], "M5 and M6 sleep on different CPUs (threads 6 and 7 of 2 CPUs)");
    assertEquals(130_000, r[1]);

    Rig early = new Rig("{cpus: 1}", null);
    early.sleeper(early.m5, early.p0, 0, 0, "100us").sleeper(early.m6, early.p1, 1, 0, "20us");
    r = early.returns();
    assertEquals(70_000, r[1], "M6's window [20us, 70us]");
    assertEquals(150_000, r[0], "closed before M5's window [100us, 150us] opened");
  }

  @Test
  void theProgramsOwnSlackAndTheWakeUpLatency() {
    Rig slack = new Rig("{cpus: 1}", "timer-slack: 1us");
    slack.sleeper(slack.m5, slack.p0, 0, 0, "100us");
    assertEquals(101_000, slack.returns()[0], "prctl(PR_SET_TIMERSLACK, 1us)");

    Rig late = new Rig("{cpus: 1}", null, "timer-wakeup: 7us");
    late.sleeper(late.m5, late.p0, 0, 0, "100us");
    assertEquals(157_000, late.returns()[0], "the interrupt at 150us, the thread runs 7us later");
    assertEquals(157_000, late.h.run.stats.syscallTable().get("nanosleep")[1],
        "the syscall table's kernel time is the real sleep: asked, slack and wake-up");
  }

  @Test
  void withoutAMachineTheSleepEndsASampledSlackLate() {
    Rig none = new Rig(null, null, "timer-slack: 92us");
    none.sleeper(none.m5, none.p0, 0, 0, "100us");
    assertEquals(192_000, none.returns()[0]);
    assertNull(none.h.run.hrtimers);
  }
}
