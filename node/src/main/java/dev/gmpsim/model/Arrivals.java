package dev.gmpsim.model;

import dev.gmpsim.protocol.scenario.Group;
import java.util.SplittableRandom;

/**
 * When the clients of an arrivals group connect: a Poisson process (or evenly spaced arrivals)
 * at the group's rate, which may follow a schedule, and with bursts runs only during the "on"
 * part of each on/off period. Arrivals are spaced in "work" (expected arrivals), which the rate
 * turns into time, so a rate that changes mid-gap is followed exactly.
 */
final class Arrivals {
  private final boolean poisson;
  /** When the first client may come: the group's start, its start-at, or (start-when) its first accept. */
  private long start;
  private boolean startsAtFirstAccept;
  private final long on;
  private final long period;
  /** Rate segments: from times[i] (relative to start) on, rates[i] arrivals per ns. */
  private final long[] times;
  private final double[] rates;
  private int segment;
  /** The time (relative to start, in "on" time for bursts) of the last arrival. */
  private double cursor;

  Arrivals(Group group) {
    this.poisson = group.arrival() == Group.Arrival.POISSON;
    this.start = group.startAt() != null ? group.startAt() : group.start();
    // The point start-when waits for is known only when it is reached: the accept loop's first
    // accept (after the group's launcher also waited for start).
    this.startsAtFirstAccept = group.startWhen() != null;
    this.on = group.bursts() == null ? Long.MAX_VALUE : group.bursts().on();
    this.period = group.bursts() == null ? Long.MAX_VALUE : group.bursts().on() + group.bursts().off();
    if (group.rateSchedule() == null) {
      this.times = new long[] {0};
      this.rates = new double[] {group.ratePerSecond() / 1e9};
    } else {
      int n = group.rateSchedule().size();
      this.times = new long[n];
      this.rates = new double[n];
      for (int i = 0; i < n; i++) {
        times[i] = group.rateSchedule().get(i).at();
        rates[i] = group.rateSchedule().get(i).perSecond() / 1e9;
      }
    }
    this.cursor = times[0];
  }

  /** The next arrival time after an accept at {@code now}, or Long.MAX_VALUE when no more come. */
  long next(SplittableRandom rng, long now) {
    if (startsAtFirstAccept) {
      startsAtFirstAccept = false;
      start = now;
    }
    return next(rng);
  }

  /** The next arrival time, or Long.MAX_VALUE when no more come. Called once per arrival. */
  long next(SplittableRandom rng) {
    double work = poisson ? -Math.log(1.0 - rng.nextDouble()) : 1.0;
    while (true) {
      double rate = rates[segment];
      double end = segment + 1 < times.length ? times[segment + 1] : Double.POSITIVE_INFINITY;
      double need = rate > 0 ? work / rate : Double.POSITIVE_INFINITY;
      if (cursor + need <= end) {
        cursor += need;
        break;
      }
      if (end == Double.POSITIVE_INFINITY) {
        return Long.MAX_VALUE;
      }
      work -= rate * (end - cursor);
      cursor = end;
      segment++;
    }
    long x = (long) cursor;
    if (on == Long.MAX_VALUE) {
      return start + x;
    }
    return start + (x / on) * period + (x % on);
  }
}
