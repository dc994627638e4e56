package dev.gmpsim.model;

import java.util.ArrayDeque;

/**
 * A buffered channel, as used for semaphores ({@code sem <- struct{}{}} to acquire, {@code <-sem}
 * to release) and the runtime's own start-up handshakes. Like a Go channel it is shared memory
 * under a lock: the M running the goroutine operates on it directly (the clock runs one actor at
 * a time), and parked goroutines wait in its queues.
 */
final class Chan {
  final String name;
  final int capacity;
  int count;
  final ArrayDeque<G> sendq = new ArrayDeque<>();
  final ArrayDeque<G> recvq = new ArrayDeque<>();

  Chan(String name, int capacity) {
    this.name = name;
    this.capacity = capacity;
  }
}
