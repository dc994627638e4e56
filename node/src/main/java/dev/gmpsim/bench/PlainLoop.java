package dev.gmpsim.bench;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The yardstick for `gmpsim bench`: a plain single-threaded discrete-event loop (a priority queue
 * of timestamped events, each handler scheduling the next event of its entity), with none of
 * the model and no actors. The model's events/s are reported next to this loop's, measured in
 * the same process.
 */
public final class PlainLoop {
  private record Event(long at, long seq, int target) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private PlainLoop() {}

  /** Runs {@code events} events over {@code entities} entities; returns events per second. */
  public static double eventsPerSecond(int entities, long events, long seed) {
    long start = System.nanoTime();
    run(entities, events, seed);
    return events * 1e9 / (System.nanoTime() - start);
  }

  /**
   * Runs {@code events} events over {@code entities} entities (setting up the first events
   * costs a few microseconds per thousand entities); returns a checksum of the entities' state,
   * which the caller should use so that the JIT cannot drop the loop.
   */
  public static long run(int entities, long events, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    PriorityQueue<Event> q = new PriorityQueue<>();
    long[] state = new long[entities];
    long seq = 0;
    for (int i = 0; i < entities; i++) {
      q.add(new Event(rng.nextLong(1_000_000), seq++, i));
    }
    for (long n = 0; n < events; n++) {
      Event e = q.poll();
      state[e.target()] += e.at();
      q.add(new Event(e.at() + 1 + rng.nextLong(1_000_000), seq++, e.target()));
    }
    long sum = 0;
    for (long v : state) {
      sum += v;
    }
    return sum;
  }
}
