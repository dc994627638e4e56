package dev.gmpsim.model;

import java.util.Arrays;

/**
 * The event list's priority queue: a radix heap keyed by virtual time. Virtual time never goes
 * backwards, which is all a radix heap needs; inserting costs O(1) and each event is moved
 * between buckets at most a few times, far cheaper than a binary heap with thousands of parked
 * goroutines' wake-ups in it. Buckets are kept in insertion order, so events at the same time
 * come out in the order they were sent (the sequence order of the clock).
 */
final class EventHeap {
  private final Clock.Out[][] buckets = new Clock.Out[65][];
  private final int[] sizes = new int[65];
  private int head0;
  private long last;
  private int size;

  EventHeap() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new Clock.Out[i == 0 ? 256 : 16];
    }
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
    append(bucket(at), o);
    size++;
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

  private void append(int b, Clock.Out o) {
    Clock.Out[] arr = buckets[b];
    if (sizes[b] == arr.length) {
      arr = buckets[b] = Arrays.copyOf(arr, arr.length * 2);
    }
    arr[sizes[b]++] = o;
  }

  /** Bucket 0 is empty: move the smallest non-empty bucket down around its minimum. */
  private void refill() {
    head0 = 0;
    sizes[0] = 0;
    int b = 1;
    while (sizes[b] == 0) {
      b++;
    }
    Clock.Out[] arr = buckets[b];
    int n = sizes[b];
    long min = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      min = Math.min(min, arr[i].msg().at());
    }
    last = min;
    sizes[b] = 0;
    for (int i = 0; i < n; i++) {
      Clock.Out o = arr[i];
      arr[i] = null;
      append(bucket(o.msg().at()), o);
    }
  }
}
