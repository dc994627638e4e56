package dev.gmpsim.protocol.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistTest {
  @Test
  void durationsWithUnits() {
    assertEquals(50_000_000L, Nanos.parse("50ms"));
    assertEquals(10_000L, Nanos.parse("10us"));
    assertEquals(1_500_000_000L, Nanos.parse("1.5s"));
    assertEquals(0L, Nanos.parse("0"));
    assertThrows(IllegalArgumentException.class, () -> Nanos.parse("10"));
    assertThrows(IllegalArgumentException.class, () -> Nanos.parse("-5s"));
    assertEquals("20us", Nanos.format(20_000));
    assertEquals(2000.0, Nanos.parseRate("2k/s"));
    assertEquals(50_000.0, Nanos.parseRate("50/ms"));
  }

  @Test
  void samplesMatchTheirDistribution() {
    SplittableRandom rng = new SplittableRandom(42);
    long[] exp = sample(Dist.parse("exp(1ms)"), rng, 100_000);
    assertEquals(1_000_000, mean(exp), 20_000);
    long[] uni = sample(Dist.parse("uniform(1ms, 3ms)"), rng, 100_000);
    assertEquals(2_000_000, mean(uni), 20_000);
    assertTrue(Arrays.stream(uni).allMatch(v -> v >= 1_000_000 && v <= 3_000_000));
    long[] ln = sample(Dist.parse("lognormal(1ms, 20ms)"), rng, 200_000);
    Arrays.sort(ln);
    assertEquals(1_000_000, ln[ln.length / 2], 30_000, "median");
    assertEquals(20_000_000, ln[(int) (ln.length * 0.99)], 1_500_000, "p99");
    long[] norm = sample(Dist.parse("normal(10ms, 2ms)"), rng, 100_000);
    assertEquals(10_000_000, mean(norm), 50_000);
    assertTrue(Arrays.stream(norm).allMatch(v -> v >= 0));
  }

  @Test
  void sameSeedSameDraws() {
    Dist d = Dist.parse("exp(5us)");
    assertTrue(Arrays.equals(sample(d, new SplittableRandom(3), 100), sample(d, new SplittableRandom(3), 100)));
  }

  @Test
  void badDistributions() {
    assertThrows(IllegalArgumentException.class, () -> Dist.parse("exp(1ms, 2ms)"));
    assertThrows(IllegalArgumentException.class, () -> Dist.parse("uniform(3ms, 1ms)"));
    assertThrows(IllegalArgumentException.class, () -> Dist.parse("lognormal(5ms, 1ms)"));
  }

  private static long[] sample(Dist d, SplittableRandom rng, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = d.sample(rng);
    }
    return out;
  }

  private static double mean(long[] v) {
    return Arrays.stream(v).average().orElse(0);
  }
}
