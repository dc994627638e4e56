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
 * <p>Each bucket's earliest time is kept as events are appended, so moving a bucket down needs
 * no scan for its minimum, and {@link #minAt} answers without moving anything.
 */
final class EventHeap {
  private final Clock.Out[][] buckets = new Clock.Out[65][];
  private final int[] sizes = new int[65];
  /** The earliest time in bucket b >= 1 (MAX_VALUE when empty); bucket 0 holds only `last`. */
  private final long[] mins = new long[65];
  /** Bit b set when bucket b (1 <= b <= 63; times are never negative) holds events. */
  private long nonEmpty;
  private int head0;
  private long last;
  private int size;

  EventHeap() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new Clock.Out[i == 0 ? 256 : 16];
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
    long at = o.msg().at();
    if (at < last) {
      throw new IllegalStateException("event at " + at + " before " + last);
    }
    append(bucket(at), at, o);
    size++;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  void add(ActorRef<?> to, Msg msg) {
    add(new Clock.Out((ActorRef) to, msg));
  }

  /**
   * The earliest event's time (MAX_VALUE when empty), without moving anything: unlike {@link
   * #peek} it leaves the heap's base where it is, so events before that time may still be added
   * (down to the last one taken out).
   */
  long minAt() {
    if (size == 0) {
      return Long.MAX_VALUE;
    }
    if (head0 < sizes[0]) {
      return last;
    }
    return mins[Long.numberOfTrailingZeros(nonEmpty)];
  }

  /** The earliest event (first sent among equals), without removing it; null when empty. */
  Clock.Out peek() {
    if (size == 0) {
      return null;
    }
    if (head0 == sizes[0]) {
      refill();
    }
    return buckets[0][head0];
  }

  /** Removes and returns the earliest event. */
  Clock.Out poll() {
    Clock.Out o = peek();
    if (o != null) {
      buckets[0][head0] = null;
      head0++;
      size--;
      if (head0 == sizes[0]) {
        head0 = 0;
        sizes[0] = 0;
      }
    }
    return o;
  }

  /** Calls {@code f} on every event still queued (for the lost-goroutine check). */
  void forEach(java.util.function.Consumer<Clock.Out> f) {
    for (int b = 0; b < buckets.length; b++) {
      for (int i = b == 0 ? head0 : 0; i < sizes[b]; i++) {
        f.accept(buckets[b][i]);
      }
    }
  }

  private int bucket(long at) {
    return at == last ? 0 : 64 - Long.numberOfLeadingZeros(at ^ last);
  }

  private void append(int b, long at, Clock.Out o) {
    Clock.Out[] arr = buckets[b];
    if (sizes[b] == arr.length) {
      arr = buckets[b] = Arrays.copyOf(arr, arr.length * 2);
    }
    arr[sizes[b]++] = o;
    if (b > 0) {
      if (at < mins[b]) {
        mins[b] = at;
      }
      nonEmpty |= 1L << b;
    }
  }

  /** Bucket 0 is empty: move the smallest non-empty bucket down around its minimum. */
  private void refill() {
    head0 = 0;
    sizes[0] = 0;
    int b = Long.numberOfTrailingZeros(nonEmpty);
    Clock.Out[] arr = buckets[b];
    int n = sizes[b];
    last = mins[b];
    sizes[b] = 0;
    mins[b] = Long.MAX_VALUE;
    nonEmpty &= ~(1L << b);
    // Every event of bucket b goes to a lower one, so b's array is read while others fill.
    for (int i = 0; i < n; i++) {
      Clock.Out o = arr[i];
      arr[i] = null;
      long at = o.msg().at();
      append(bucket(at), at, o);
    }
  }
}
