package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import java.util.Arrays;

/**
 * The event list's priority queue: a radix heap keyed by virtual time. Virtual time never goes
 * backwards, which is all a radix heap needs; inserting costs O(1) and each event is moved
 * between buckets at most a few times, far cheaper than a binary heap with thousands of parked
 * goroutines' wake-ups in it. Buckets are kept in insertion order, so events at the same time
 * come out in the order they were sent (the sequence order of the clock).
 *
 * <p>Each bucket keeps its events' times in a {@code long[]} beside the receivers and messages:
 * moving a bucket down scans and copies plain arrays instead of following two references per
 * event (the cache misses were most of the heap's cost), and no {@code Clock.Out} is made per event.
 */
final class EventHeap {
  private final long[][] ats = new long[65][];
  private final ActorRef<?>[][] tos = new ActorRef<?>[65][];
  private final Msg[][] msgs = new Msg[65][];
  private final int[] sizes = new int[65];
  /** The earliest time in each bucket (MAX_VALUE when empty): found on append, not by a scan. */
  private final long[] mins = new long[65];
  /** Bit b set when bucket b (1 <= b <= 63) holds events. */
  private long nonEmpty;
  private int head0;
  private long last;
  private int size;

  EventHeap() {
    for (int i = 0; i < ats.length; i++) {
      int n = i == 0 ? 256 : 16;
      ats[i] = new long[n];
      tos[i] = new ActorRef<?>[n];
      msgs[i] = new Msg[n];
    }
    Arrays.fill(mins, Long.MAX_VALUE);
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Adds an event; its time must not be before the last one taken out. */
  void add(Clock.Out o) {
    add(o.to(), o.msg());
  }

  /** Adds {@code msg} for {@code to} at {@code msg.at()}, which must not be before the last one taken out. */
  void add(ActorRef<?> to, Msg msg) {
    long at = msg.at();
    if (at < last) {
      throw new IllegalStateException("event at " + at + " before " + last);
    }
    append(bucket(at), at, to, msg);
    size++;
  }

  /** The earliest event (first sent among equals), without removing it; null when empty. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  Clock.Out peek() {
    if (!ready()) {
      return null;
    }
    return new Clock.Out((ActorRef) tos[0][head0], msgs[0][head0]);
  }

  /**
   * Brings the earliest event to the head of bucket 0; false when empty. After it, {@link
   * #headAt}, {@link #headTo} and {@link #headMsg} name that event.
   */
  boolean ready() {
    if (size == 0) {
      return false;
    }
    if (head0 == sizes[0]) {
      refill();
    }
    return true;
  }

  /**
   * The earliest event's time (MAX_VALUE when empty), without moving anything: unlike {@link
   * #ready} it leaves the heap's base where it is, so events before that time may still be added.
   */
  long minAt() {
    if (size == 0) {
      return Long.MAX_VALUE;
    }
    if (head0 < sizes[0]) {
      return ats[0][head0];
    }
    return mins[Long.numberOfTrailingZeros(nonEmpty)];
  }

  /** The earliest event's time; only after {@link #ready} returned true. */
  long headAt() {
    return ats[0][head0];
  }

  ActorRef<?> headTo() {
    return tos[0][head0];
  }

  Msg headMsg() {
    return msgs[0][head0];
  }

  /** Removes and returns the earliest event. */
  Clock.Out poll() {
    Clock.Out o = peek();
    if (o != null) {
      remove();
    }
    return o;
  }

  /** Removes the earliest event; only after {@link #ready} returned true. */
  void remove() {
    tos[0][head0] = null;
    msgs[0][head0] = null;
    head0++;
    size--;
    if (head0 == sizes[0]) {
      head0 = 0;
      sizes[0] = 0;
    }
  }

  /** Calls {@code f} on every event still queued (for the lost-goroutine check). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void forEach(java.util.function.Consumer<Clock.Out> f) {
    for (int b = 0; b < ats.length; b++) {
      for (int i = b == 0 ? head0 : 0; i < sizes[b]; i++) {
        f.accept(new Clock.Out((ActorRef) tos[b][i], msgs[b][i]));
      }
    }
  }

  private int bucket(long at) {
    return at == last ? 0 : 64 - Long.numberOfLeadingZeros(at ^ last);
  }

  private void append(int b, long at, ActorRef<?> to, Msg msg) {
    int n = sizes[b];
    if (n == ats[b].length) {
      ats[b] = Arrays.copyOf(ats[b], n * 2);
      tos[b] = Arrays.copyOf(tos[b], n * 2);
      msgs[b] = Arrays.copyOf(msgs[b], n * 2);
    }
    ats[b][n] = at;
    tos[b][n] = to;
    msgs[b][n] = msg;
    sizes[b] = n + 1;
    if (b > 0) { // bucket 0 holds only events at `last`
      if (at < mins[b]) {
        mins[b] = at;
      }
      nonEmpty |= 1L << b; // times are never negative: b <= 63
    }
  }

  /** Bucket 0 is empty: move the smallest non-empty bucket down around its minimum. */
  private void refill() {
    head0 = 0;
    sizes[0] = 0;
    int b = Long.numberOfTrailingZeros(nonEmpty);
    long[] at = ats[b];
    ActorRef<?>[] to = tos[b];
    Msg[] msg = msgs[b];
    int n = sizes[b];
    last = mins[b];
    sizes[b] = 0;
    mins[b] = Long.MAX_VALUE;
    nonEmpty &= ~(1L << b);
    // Every event of bucket b goes to a lower bucket, so b's arrays are read while others fill.
    for (int i = 0; i < n; i++) {
      append(bucket(at[i]), at[i], to[i], msg[i]);
      to[i] = null;
      msg[i] = null;
    }
  }
}
