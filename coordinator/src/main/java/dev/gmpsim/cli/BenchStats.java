package dev.gmpsim.cli;

import dev.gmpsim.cli.BenchRounds.Timing;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The figures {@code gmpsim bench} reports from its timings: medians and their spread. */
final class BenchStats {
  private BenchStats() {}

  /** The median of some repetitions with their minimum and maximum; all NaN when there are none. */
  record Spread(double median, double min, double max) {
    static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN);

    boolean known() {
      return !Double.isNaN(median);
    }
  }

  /** Median (the mean of the middle two for an even count), min and max; NaN values are left out. */
  static Spread of(double... values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Spread.NONE;
    }
    int n = v.length;
    double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return new Spread(median, v[0], v[n - 1]);
  }

  static Spread of(List<Timing> timings, ToDoubleFunction<Timing> f) {
    return of(timings.stream().mapToDouble(f).toArray());
  }

  /**
   * Each timing's events/s over the plain loop's in the same round (the two were measured a few
   * seconds apart, so drift of the machine cancels out), then median and spread of those ratios.
   */
  static Spread vsPlain(List<Timing> timings, List<Timing> plain) {
    double[] r = new double[timings.size()];
    for (int i = 0; i < r.length; i++) {
      Timing t = timings.get(i);
      Timing p = plain.stream().filter(x -> x.round() == t.round()).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no plain-loop timing in round " + t.round()));
      r[i] = t.eventsPerSecond() / p.eventsPerSecond();
    }
    return of(r);
  }

  /**
   * All workloads together, one figure per round: the round's events over its wall time
   * (the same as the old "all workloads" line, now per round).
   */
  static List<Timing> together(List<List<Timing>> workloads) {
    int rounds = workloads.isEmpty() ? 0 : workloads.get(0).size();
    Timing[] out = new Timing[rounds];
    for (int r = 0; r < rounds; r++) {
      long events = 0;
      long virtual = 0;
      long wall = 0;
      long alloc = 0;
      long mailbox = 0;
      int runs = 0;
      for (List<Timing> w : workloads) {
        Timing t = w.get(r);
        events += t.events();
        virtual += t.virtualNs();
        wall += t.wallNs();
        runs += t.runs();
        alloc = alloc < 0 || t.allocatedBytes() < 0 ? -1 : alloc + t.allocatedBytes();
        mailbox = mailbox < 0 || t.mailboxEvents() < 0 ? -1 : mailbox + t.mailboxEvents();
      }
      out[r] = new Timing(workloads.get(0).get(r).round(), runs, events, virtual, wall, alloc, mailbox);
    }
    return List.of(out);
  }
}
