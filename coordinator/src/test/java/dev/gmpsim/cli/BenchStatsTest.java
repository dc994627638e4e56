package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gmpsim.cli.BenchRounds.Timing;
import dev.gmpsim.cli.BenchStats.Spread;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bench's figures: medians, min-max, ratios paired by round; nothing is timed here. */
class BenchStatsTest {
  @Test
  void medianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
    assertEquals(new Spread(3, 1, 9), BenchStats.of(9, 1, 3, 7, 2));
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(new Spread(2.5, 1, 10), BenchStats.of(10, 1, 2, 3));
  }

  @Test
  void oneValueIsItsOwnSpreadAndUnknownValuesAreLeftOut() {
    assertEquals(new Spread(4, 4, 4), BenchStats.of(4));
    assertEquals(new Spread(5, 4, 6), BenchStats.of(Double.NaN, 6, 4));
    assertFalse(BenchStats.of(Double.NaN).known());
    assertFalse(BenchStats.of().known());
  }

  @Test
  void timingsGiveEventsPerSecondVirtualPerWallAndBytesPerEvent() {
    Timing t = new Timing(1, 3, 2_000_000, 30_000_000_000L, 2_000_000_000L, 64_000_000);
    assertEquals(1e6, t.eventsPerSecond());
    assertEquals(15.0, t.virtualPerWall());
    assertEquals(32.0, t.bytesPerEvent());
    assertEquals(Double.NaN, new Timing(1, 1, 10, 0, 1, -1).bytesPerEvent());
  }

  @Test
  void theRatioToThePlainLoopPairsEachTimingWithThePlainLoopOfItsRound() {
    // Round 2 ran on a slower machine for both: paired, its ratio is the same as the others'.
    List<Timing> plain = List.of(timing(1, 10), timing(2, 5), timing(3, 10));
    List<Timing> w = List.of(timing(1, 2), timing(2, 1), timing(3, 2));
    assertEquals(new Spread(0.2, 0.2, 0.2), BenchStats.vsPlain(w, plain));
    // Unpaired (median over median) would not see that; paired, a drop in one round only shows.
    List<Timing> dip = List.of(timing(1, 2), timing(2, 0.5), timing(3, 3));
    assertEquals(new Spread(0.2, 0.1, 0.3), BenchStats.vsPlain(dip, plain));
  }

  @Test
  void aRoundWithoutAPlainLoopTimingIsAnError() {
    assertThrows(IllegalArgumentException.class,
        () -> BenchStats.vsPlain(List.of(timing(4, 1)), List.of(timing(1, 1))));
  }

  @Test
  void allWorkloadsTogetherAddEachRoundsEventsAndWallTime() {
    List<Timing> a = List.of(new Timing(1, 1, 100, 5, 10, 1000), new Timing(2, 2, 100, 5, 20, 1000));
    List<Timing> b = List.of(new Timing(1, 3, 300, 7, 30, 500), new Timing(2, 1, 300, 7, 20, -1));
    List<Timing> all = BenchStats.together(List.of(a, b));
    assertEquals(List.of(new Timing(1, 4, 400, 12, 40, 1500), new Timing(2, 3, 400, 12, 40, -1)), all);
  }

  @Test
  void theMailboxShareIsCountedEventsOverEventsAndAddsUpAcrossWorkloads() {
    Timing a = new Timing(1, 2, 1000, 5, 10, 0, 900);
    Timing b = new Timing(1, 1, 3000, 5, 10, 0, 1500);
    assertEquals(0.9, a.mailboxShare());
    assertEquals(Double.NaN, new Timing(1, 1, 10, 0, 1, 0).mailboxShare(), "unknown: the plain loop");
    assertEquals(0.6, BenchStats.together(List.of(List.of(a), List.of(b))).get(0).mailboxShare());
    assertEquals(Double.NaN, BenchStats.together(
        List.of(List.of(a), List.of(new Timing(1, 1, 10, 0, 1, 0)))).get(0).mailboxShare(), "one unknown: unknown");
  }

  /** A timing of one second with {@code mevs} million events. */
  static Timing timing(int round, double mevs) {
    return new Timing(round, 1, (long) (mevs * 1e6), 0, 1_000_000_000L, 0);
  }
}
