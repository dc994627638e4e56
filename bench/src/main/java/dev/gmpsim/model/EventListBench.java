package dev.gmpsim.model;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The event list at a steady size: each operation takes the earliest event and puts one back a
 * random delay later (as a handler that sends one message does), with {@code pending} events
 * queued, from a few Ps' messages to a million parked goroutines' wake-ups.
 * {@code heap}: the radix heap alone; {@code eventList}: through the run's EventList (time
 * bookkeeping, event count, the past-time and pending-limit checks).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventListBench {
  /** A message that is only a time, addressed to nobody: the list never looks at the receiver. */
  record Tick(long at) implements Msg {}

  @Param({"16", "1024", "65536"})
  int pending;

  /** Delays up to this many ns: a syscall's or a timer's span against the run's other events. */
  @Param({"1000000"})
  long spread;

  private EventHeap heap;
  private EventList list;
  private final java.util.ArrayList<Clock.Out> outbox = new java.util.ArrayList<>(1);
  private SplittableRandom rng;

  @Setup
  public void setup() {
    rng = new SplittableRandom(1);
    heap = new EventHeap();
    list = newEventList();
    for (int i = 0; i < pending; i++) {
      long at = rng.nextLong(spread);
      heap.add(new Clock.Out(null, new Tick(at)));
      outbox.add(new Clock.Out(null, new Tick(at)));
      list.add(outbox);
      outbox.clear();
    }
  }

  /** An event list with no end, no pending limit and one sample at the start. */
  static EventList newEventList() {
    RunStats stats = new RunStats(new Atomics(1), 0, Long.MAX_VALUE / 4);
    return new EventList(Long.MAX_VALUE / 2, Long.MAX_VALUE, stats, null);
  }

  @Benchmark
  public Clock.Out heap() {
    Clock.Out o = heap.poll();
    long at = o.msg().at() + 1 + rng.nextLong(spread);
    Clock.Out next = new Clock.Out(null, new Tick(at));
    heap.add(next);
    return o;
  }

  @Benchmark
  public Msg eventList() {
    Msg m = list.pollFor(null); // the receiver of every event here: null
    outbox.add(new Clock.Out(null, new Tick(m.at() + 1 + rng.nextLong(spread))));
    list.add(outbox);
    outbox.clear();
    return m;
  }
}
