package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gmpsim.protocol.scenario.CostTable;
import dev.gmpsim.protocol.scenario.Dist;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ticker-paced client's send times (time.Ticker: a tick that fires while the client waits is
 * kept and used at once, further ones are dropped, the grid stays), and the program's own timer
 * slack beside the runtime's.
 */
class TickedPeerTest {
  static final long TICK = 10_000_000;

  @Test
  void oneRequestATickEachAfterTheAnswerAndAMissedTickIsUsedAtOnceThenDropped() {
    G g = new G(9, false, new Op[0]);
    SplittableRandom rng = new SplittableRandom(3);
    long first = TickedPeer.nextRequest(g, 0, TICK, rng);
    assertTrue(first >= 0 && first < TICK, "the first tick, at a random point of the first period: " + first);
    // Answered 2ms after it: the next request waits for the next tick.
    assertEquals(first + TICK, TickedPeer.nextRequest(g, first + 2_000_000, TICK, rng));
    // Answered 25ms after that one: the tick at +10ms was kept and is read at once, +20ms dropped.
    long late = first + TICK + 25_000_000;
    assertEquals(late, TickedPeer.nextRequest(g, late, TICK, rng));
    // The grid did not move: the next tick is first + 4 ticks, not late + TICK.
    assertEquals(first + 4 * TICK, TickedPeer.nextRequest(g, late + 1_000_000, TICK, rng));
  }

  @Test
  void theProgramsTimerSlackReplacesTheDefault50usOnlyForItsOwnSleeps() {
    CostTable t = new CostTable(null, null, null, null, null, null, null, null, null, null, null,
        Dist.constant(92_000), null, null, null, null, null, null, null);
    Costs none = new Costs(t, new SplittableRandom(1), null);
    Costs tight = new Costs(t, new SplittableRandom(1), 1_000L);
    Costs wide = new Costs(t, new SplittableRandom(1), 50_000L);
    assertEquals(92_000, none.programTimerSlack(), "unset: the cost table's overshoot");
    assertEquals(43_000, tight.programTimerSlack(), "1us slack: the 42us of wake-up are left");
    assertEquals(92_000, wide.programTimerSlack(), "50us is Linux's default: the same");
    assertEquals(92_000, tight.timerSlack(), "sysmon's usleep and epoll_wait keep the kernel's default");
    assertEquals(43_000, tight.wakeup("nanosleep", 100_000, null));
    assertEquals(43_000, tight.cgoWakeup(100_000, null));
  }
}
