package dev.gmpsim.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The order and the timings of {@code gmpsim bench}: warm-up rounds, then measured rounds, each
 * round timing the plain loop first and then every workload in turn, so that a drift of the
 * machine (a neighbour's build, frequency scaling) hits the plain loop and the workloads alike.
 * A timing repeats its workload's run until it has lasted at least the minimum wall time. The
 * clock is passed in: tests drive it without timing anything.
 */
final class BenchRounds {
  private BenchRounds() {}

  /**
   * What one run of a workload did. {@code virtualNs} is 0 for the plain loop; {@code
   * mailboxEvents} (events handed over through an Akka mailbox) is -1 where there is none.
   */
  record Work(long events, long virtualNs, long mailboxEvents) {
    Work(long events, long virtualNs) {
      this(events, virtualNs, -1);
    }
  }

  /** Something the bench times: a model workload or the plain loop. */
  interface Workload {
    String name();

    Work runOnce() throws Exception;

    /** Bytes allocated so far by the thread(s) doing the work, by thread id ({@link BenchAlloc}). */
    Map<Long, Long> allocation();
  }

  /** One timing: {@code runs} back-to-back runs of a workload in {@code wallNs}. */
  record Timing(int round, int runs, long events, long virtualNs, long wallNs, long allocatedBytes, long mailboxEvents) {
    Timing(int round, int runs, long events, long virtualNs, long wallNs, long allocatedBytes) {
      this(round, runs, events, virtualNs, wallNs, allocatedBytes, -1);
    }

    /** The share of events handed over through a mailbox: a count, the same on any machine; NaN if unknown. */
    double mailboxShare() {
      return mailboxEvents < 0 || events == 0 ? Double.NaN : (double) mailboxEvents / events;
    }

    double eventsPerSecond() {
      return events * 1e9 / Math.max(1, wallNs);
    }

    double virtualPerWall() {
      return (double) virtualNs / Math.max(1, wallNs);
    }

    /** NaN when the allocation could not be counted. */
    double bytesPerEvent() {
      return allocatedBytes < 0 || events == 0 ? Double.NaN : (double) allocatedBytes / events;
    }
  }

  /** {@code rounds} measured rounds after {@code warmupRounds}; every timing lasts at least {@code minWallNs}. */
  record Plan(int warmupRounds, int rounds, long minWallNs) {}

  /** Called before each round (1-based; warm-up rounds are negative: -1, -2, ...). */
  interface Progress {
    void round(int round, int of);
  }

  /**
   * The order of one round over the plain loop (index 0) and {@code workloads} workloads
   * (1..n): the plain loop first, then the workloads as given.
   */
  static List<Integer> roundOrder(int workloads) {
    List<Integer> order = new ArrayList<>(workloads + 1);
    for (int i = 0; i <= workloads; i++) {
      order.add(i);
    }
    return order;
  }

  /**
   * Runs the plan; returns the measured timings of the plain loop (index 0) and each workload
   * (1..n), one per measured round, in round order. Warm-up timings are dropped.
   */
  static List<List<Timing>> run(Plan plan, Workload plain, List<Workload> workloads, LongSupplier clock,
      Progress progress) throws Exception {
    List<Workload> all = new ArrayList<>();
    all.add(plain);
    all.addAll(workloads);
    List<List<Timing>> timings = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      timings.add(new ArrayList<>());
    }
    for (int w = 1; w <= plan.warmupRounds(); w++) {
      progress.round(-w, plan.warmupRounds());
      for (int i : roundOrder(workloads.size())) {
        time(all.get(i), -w, plan.minWallNs(), clock);
      }
    }
    for (int r = 1; r <= plan.rounds(); r++) {
      progress.round(r, plan.rounds());
      for (int i : roundOrder(workloads.size())) {
        timings.get(i).add(time(all.get(i), r, plan.minWallNs(), clock));
      }
    }
    return timings;
  }

  /** Runs {@code w} until at least {@code minWallNs} have passed on {@code clock} (at least once). */
  static Timing time(Workload w, int round, long minWallNs, LongSupplier clock) throws Exception {
    Map<Long, Long> before = w.allocation();
    long t0 = clock.getAsLong();
    long events = 0;
    long virtual = 0;
    long mailbox = 0;
    int runs = 0;
    long wall;
    do {
      Work done = w.runOnce();
      events += done.events();
      virtual += done.virtualNs();
      mailbox = mailbox < 0 || done.mailboxEvents() < 0 ? -1 : mailbox + done.mailboxEvents();
      runs++;
      wall = clock.getAsLong() - t0;
    } while (wall < minWallNs);
    long allocated = BenchAlloc.between(before, w.allocation());
    return new Timing(round, runs, events, virtual, wall, allocated, mailbox);
  }
}
