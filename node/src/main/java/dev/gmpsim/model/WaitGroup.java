package dev.gmpsim.model;

import java.util.ArrayDeque;

/**
 * A sync.WaitGroup: a count and the goroutines parked in Wait until it reaches zero. Shared
 * memory, like {@link Chan}: the M running the goroutine changes it directly.
 */
final class WaitGroup {
  final String name;
  int count;
  final ArrayDeque<G> waiters = new ArrayDeque<>();

  WaitGroup(String name, int count) {
    this.name = name;
    this.count = count;
  }
}
