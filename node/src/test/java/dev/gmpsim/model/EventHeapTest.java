package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The radix heap against a plain (time, sequence) priority queue, as the event list uses it. */
class EventHeapTest {
  record Ev(long at, int seq) implements Msg {}

  @Test
  void takesEventsInTimeThenSendOrderAsAPriorityQueueDoes() {
    for (long spread : new long[] {1, 10, 1_000, 1_000_000, 1L << 40}) {
      SplittableRandom rng = new SplittableRandom(spread);
      EventHeap heap = new EventHeap();
      PriorityQueue<Ev> ref =
          new PriorityQueue<>(Comparator.comparingLong(Ev::at).thenComparingInt(Ev::seq));
      int seq = 0;
      long now = 0;
      for (int step = 0; step < 200_000; step++) {
        // minAt never moves the heap's base: an event before the earliest pending one, but not
        // before the last taken, can still be added after it (the in-place path relies on it).
        assertEquals(ref.isEmpty() ? Long.MAX_VALUE : ref.peek().at(), heap.minAt());
        if (ref.isEmpty() || rng.nextInt(3) > 0) {
          long at = now + (rng.nextInt(4) == 0 ? 0 : rng.nextLong(spread));
          Ev e = new Ev(at, seq++);
          heap.add(null, e);
          ref.add(e);
        } else {
          Ev want = ref.poll();
          assertSame(want, heap.peek().msg());
          assertSame(want, heap.poll().msg());
          now = want.at();
        }
        assertEquals(ref.size(), heap.size());
      }
      List<Ev> rest = new ArrayList<>();
      heap.forEach(o -> rest.add((Ev) o.msg()));
      assertEquals(ref.size(), rest.size());
      while (!ref.isEmpty()) {
        Clock.Out o = heap.poll();
        assertSame(ref.poll(), o.msg());
      }
      assertNull(heap.peek());
      assertEquals(Long.MAX_VALUE, heap.minAt());
    }
  }
}
