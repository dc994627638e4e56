package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunSummary;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The M blocked in netpoll, end to end: epoll_wait returns the descriptors that are ready when
 * the woken thread runs again (netpoll.go), so requests whose data arrives during the wake-up
 * come back together, and injectglist (proc.go) hands all but the first to the idle P with
 * startm(nil) instead of leaving them for the woken M to find later, one after the other.
 */
class NetpollWakeTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void setUp() {
    system = ActorSystem.create(Behaviors.empty(), "netpoll-wake", Simulation.quietConfig());
  }

  @AfterAll
  static void tearDown() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  static RunSummary run(String yaml) throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", yaml);
    return Simulation.run(system, s, RunOptions.seed(s.seed())).summary();
  }

  @Test
  void requestsThatArriveWhileThePollerWakesRunInParallelOnTheIdleP() throws Exception {
    // Two keep-alive connections whose requests arrive a few us apart, 100ms after they
    // connect, while both Ps are idle and one M waits in epoll_wait. Waking it takes 33us, so
    // both requests are ready when it returns: it runs one on its P, and the other goes to the
    // global queue with an M started for the idle P. Each request is 200us of Go code, so the
    // second finishes about 33us + 33us + 200us after its data arrived; had the poller returned
    // only the first, the second would wait for it and take over 400us.
    RunSummary s = run("""
        runtime:
          gomaxprocs: 2
          go-version: "1.19"
          costs: {futex-wake: 33us, timer-slack: 0, clone: 100us}
        duration: 150ms
        workload:
          - kind: connections
            count: 2
            think: 100ms
            steps: [{compute: 200us}, net-write]
        """);
    assertEquals("ok", s.outcome());
    assertEquals(2, s.requestLatencyNs().count(), "one request per connection");
    long max = s.requestLatencyNs().max();
    assertTrue(max >= 266_000 && max < 300_000,
        "the later request took " + max + "ns: wake (33us) + startm (33us) + 200us, in parallel");
  }
}
