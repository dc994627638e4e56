package dev.gmpsim.model;

import dev.gmpsim.protocol.scenario.Group;
import java.util.SplittableRandom;

/**
 * When the clients of an arrivals group connect: a Poisson process at the group's rate that,
 * with bursts, runs only during the "on" part of each on/off period.
 */
final class Arrivals {
  private final double meanGapNs;
  private final long start;
  private final long on;
  private final long period;
  private double onCursor;

  Arrivals(Group group) {
    this.meanGapNs = 1e9 / group.ratePerSecond();
    this.start = group.start();
    this.on = group.bursts() == null ? Long.MAX_VALUE : group.bursts().on();
    this.period = group.bursts() == null ? Long.MAX_VALUE : group.bursts().on() + group.bursts().off();
  }

  /** The next arrival time. Arrivals are drawn in order, so this is called once per arrival. */
  long next(SplittableRandom rng) {
    onCursor += -Math.log(1.0 - rng.nextDouble()) * meanGapNs;
    long x = (long) onCursor;
    if (on == Long.MAX_VALUE) {
      return start + x;
    }
    return start + (x / on) * period + (x % on);
  }
}
