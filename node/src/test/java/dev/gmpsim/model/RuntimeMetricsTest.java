package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gmpsim.protocol.result.RunSummary;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** runtime/metrics' time histogram buckets, as histogram.go lays them out. */
class RuntimeMetricsTest {

  @Test
  void bucketsFollowTheRuntimesTimeHistogram() {
    // Below 256ns (9 bits): four buckets of 64ns (timeHistogramMetricsBuckets' first loop).
    assertEquals(0, RuntimeMetrics.bucket(0));
    assertEquals(0, RuntimeMetrics.bucket(63));
    assertEquals(1, RuntimeMetrics.bucket(127));
    assertEquals(3, RuntimeMetrics.bucket(255));
    // [256ns, 512ns): bucket bit 9, four sub-buckets of 64ns; [512ns, 1024ns): of 128ns.
    assertEquals(4, RuntimeMetrics.bucket(256));
    assertEquals(256, RuntimeMetrics.lower(4));
    assertEquals(320, RuntimeMetrics.lower(5));
    assertEquals(8, RuntimeMetrics.bucket(512));
    assertEquals(512, RuntimeMetrics.lower(8));
    assertEquals(640, RuntimeMetrics.lower(9));
    assertEquals(9, RuntimeMetrics.bucket(700));
    // 1ms = 2^19.9: bucket bit 20, sub-bucket (1e6 >> 17) & 3 = 3.
    int b = RuntimeMetrics.bucket(1_000_000);
    assertEquals((20 - 9 + 1) * 4 + 3, b);
    long lo = RuntimeMetrics.lower(b);
    long hi = RuntimeMetrics.lower(b + 1);
    assertEquals((1L << 19) | (3L << 17), lo);
    assertEquals(1L << 20, hi);
  }

  @Test
  void aHistogramListsItsNonEmptyBucketsInSeconds() {
    Histogram h = new Histogram(3_600_000_000_000L, 3);
    h.recordValue(700);
    h.recordValue(710);
    h.recordValue(1_000_000);
    List<RunSummary.Bucket> got = RuntimeMetrics.buckets(h);
    assertEquals(2, got.size(), got.toString());
    assertEquals(new RunSummary.Bucket(640 / 1e9, 768 / 1e9, 2), got.get(0));
    assertEquals(1, got.get(1).count());
    assertEquals(((1L << 19) | (3L << 17)) / 1e9, got.get(1).fromSeconds());
  }

  @Test
  void aGrowingLatencyHistogramReportsWhatOneSizedForAnHourDid() {
    // RunStats.latencies() grows with the values; the summary's figures must not move.
    java.util.Random r = new java.util.Random(7);
    for (int round = 0; round < 20; round++) {
      Histogram fixed = new Histogram(RunStats.MAX_LATENCY, 3);
      Histogram grown = RunStats.latencies();
      int n = 1 + r.nextInt(5000);
      for (int i = 0; i < n; i++) {
        // Spread over nanoseconds to an hour, most of them short, as latencies are.
        long v = (long) Math.min(RunStats.MAX_LATENCY, Math.exp(r.nextDouble() * Math.log(RunStats.MAX_LATENCY)));
        if (r.nextInt(10) == 0) {
          v = 0;
        }
        fixed.recordValue(v);
        grown.recordValue(v);
      }
      for (double p : new double[] {0, 50, 90, 99, 99.9, 100}) {
        assertEquals(fixed.getValueAtPercentile(p), grown.getValueAtPercentile(p), "p" + p);
      }
      assertEquals(fixed.getMean(), grown.getMean());
      assertEquals(fixed.getMaxValue(), grown.getMaxValue());
      assertEquals(RuntimeMetrics.buckets(fixed), RuntimeMetrics.buckets(grown));
    }
  }
}
