package dev.gmpsim.model;

import java.util.SplittableRandom;

/**
 * A closed-loop client paced by a time.Ticker: {@code for range ticker.C { send; wait for the
 * answer }}. At most one request is outstanding; the next goes at the next tick. A tick that
 * fires while the client waits for an answer is kept (the ticker's channel holds one; from Go 1.23
 * the timer runs when the receiver comes) and the next request goes as soon as the answer is in;
 * further ticks missed meanwhile are dropped, and the ticker stays on its grid.
 */
final class TickedPeer {
  private TickedPeer() {}

  /**
   * When the client, done with its last answer at {@code t}, sends its next request. The ticker
   * starts at a random point of its first period (connections do not start in step).
   */
  static long nextRequest(G g, long t, long tick, SplittableRandom rng) {
    if (g.tickBase < 0) {
      g.tickBase = t + (long) (rng.nextDouble() * tick);
      g.tickLast = g.tickBase;
      return g.tickBase;
    }
    // The first tick after the last request (the ticker's grid: base + k * tick).
    long k = (g.tickLast - g.tickBase) / tick + 1;
    long nextTick = g.tickBase + k * tick;
    long at = nextTick <= t ? t : nextTick; // a tick already waiting: at once
    g.tickLast = at;
    return at;
  }
}
