package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gmpsim.cli.BenchRounds.Plan;
import dev.gmpsim.cli.BenchRounds.Timing;
import dev.gmpsim.cli.BenchRounds.Work;
import dev.gmpsim.cli.BenchRounds.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bench's order and timing loop, on a fake clock that each run moves on: nothing real is timed. */
class BenchRoundsTest {
  /** The fake clock, in ns; each fake run advances it by its workload's run length. */
  long now;
  final List<String> log = new ArrayList<>();

  /** A workload whose run takes {@code runNs} on the fake clock and allocates {@code bytes} on thread 7. */
  Workload fake(String name, long runNs, long events, long bytes) {
    return new Workload() {
      long allocated;

      @Override
      public String name() {
        return name;
      }

      @Override
      public Work runOnce() {
        log.add(name);
        now += runNs;
        allocated += bytes;
        return new Work(events, runNs * 10);
      }

      @Override
      public Map<Long, Long> allocation() {
        return Map.of(7L, allocated);
      }
    };
  }

  @Test
  void eachRoundTimesThePlainLoopFirstThenEveryWorkloadInTurn() throws Exception {
    List<Integer> rounds = new ArrayList<>();
    List<List<Timing>> t = BenchRounds.run(new Plan(2, 3, 0), fake("plain", 1, 1, 0),
        List.of(fake("A", 1, 1, 0), fake("B", 1, 1, 0)), () -> now, (r, of) -> rounds.add(r));
    assertEquals(List.of("plain", "A", "B", "plain", "A", "B", // two warm-up rounds
        "plain", "A", "B", "plain", "A", "B", "plain", "A", "B"), log);
    assertEquals(List.of(-1, -2, 1, 2, 3), rounds);
    assertEquals(List.of(0, 1, 2), BenchRounds.roundOrder(2));
    // Warm-ups are not kept: three timings each, numbered by their round.
    assertEquals(3, t.size());
    for (List<Timing> w : t) {
      assertEquals(List.of(1, 2, 3), w.stream().map(Timing::round).toList());
    }
  }

  @Test
  void aTimingRepeatsShortRunsUntilItHasLastedTheMinimumWallTime() throws Exception {
    Timing t = BenchRounds.time(fake("A", 300, 1000, 64_000), 1, 1000, () -> now);
    // 300ns runs: the fourth one passes 1000ns.
    assertEquals(new Timing(1, 4, 4000, 12_000, 1200, 256_000), t);
    assertEquals(64.0, t.bytesPerEvent());
  }

  @Test
  void aRunLongerThanTheMinimumIsTimedOnce() throws Exception {
    Timing t = BenchRounds.time(fake("A", 5000, 10, 0), 1, 1000, () -> now);
    assertEquals(1, t.runs());
    assertEquals(5000, t.wallNs());
  }

  @Test
  void allocationCountsNewThreadsFromZeroAndIsUnknownWhenAThreadWentAway() {
    Map<Long, Long> before = new HashMap<>(Map.of(1L, 100L, 2L, 50L));
    assertEquals(30 + 5 + 7, BenchAlloc.between(before, Map.of(1L, 130L, 2L, 55L, 3L, 7L)));
    assertEquals(-1, BenchAlloc.between(before, Map.of(1L, 130L)));
    assertEquals(-1, BenchAlloc.between(null, Map.of()));
  }
}
