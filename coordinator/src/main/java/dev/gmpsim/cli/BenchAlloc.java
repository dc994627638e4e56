package dev.gmpsim.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Bytes allocated per event, counted with HotSpot's per-thread allocation counter
 * ({@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes}), which needs no GC logging
 * and no profiler. A snapshot maps thread id to the bytes that thread has allocated so far.
 */
final class BenchAlloc {
  private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private BenchAlloc() {}

  /** Whether this JVM counts allocation per thread (HotSpot does; others may not). */
  static boolean supported() {
    return THREADS instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()
        && t.isThreadAllocatedMemoryEnabled();
  }

  /** The current thread's count (the plain loop runs on the caller's thread). */
  static Map<Long, Long> currentThread() {
    if (!supported()) {
      return null;
    }
    com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) THREADS;
    return Map.of(Thread.currentThread().getId(), t.getCurrentThreadAllocatedBytes());
  }

  /** The counts of every live thread whose name passes {@code name}. */
  static Map<Long, Long> threadsNamed(Predicate<String> name) {
    if (!supported()) {
      return null;
    }
    com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) THREADS;
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids, 0);
    Map<Long, Long> out = new HashMap<>();
    for (ThreadInfo info : infos) {
      if (info != null && name.test(info.getThreadName())) {
        long bytes = t.getThreadAllocatedBytes(info.getThreadId());
        if (bytes >= 0) {
          out.put(info.getThreadId(), bytes);
        }
      }
    }
    return out;
  }

  /**
   * Bytes allocated between two snapshots: a thread that appears only in {@code after} started
   * in between and counts from zero; a thread that is gone from {@code after} took its count
   * with it, so the figure is unknown (-1), as it is without snapshots.
   */
  static long between(Map<Long, Long> before, Map<Long, Long> after) {
    if (before == null || after == null || !after.keySet().containsAll(before.keySet())) {
      return -1;
    }
    long sum = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }
}
