package dev.gmpsim.model;

import java.util.ArrayDeque;

/**
 * A channel (capacity 0: unbuffered, a send waits for its receiver), as used for semaphores ({@code sem <- struct{}{}} to acquire, {@code <-sem}
 * to release) and the runtime's own start-up handshakes. Like a Go channel it is shared memory
 * under a lock: the M running the goroutine operates on it directly (the clock runs one actor at
 * a time), and parked goroutines wait in its queues.
 */
final class Chan {
  final String name;
  final int capacity;
  int count;
  /** close(ch) ran: receives return at once, a send panics. */
  boolean closed;
  final ArrayDeque<G> sendq = new ArrayDeque<>();
  final ArrayDeque<G> recvq = new ArrayDeque<>();

  Chan(String name, int capacity) {
    this.name = name;
    this.capacity = capacity;
  }
}
