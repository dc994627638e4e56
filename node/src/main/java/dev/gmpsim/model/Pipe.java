package dev.gmpsim.model;

import java.util.ArrayDeque;

/**
 * An os.Pipe (or a socket pair): what was written and not yet read, which ends are closed, and the
 * goroutines reading it. Shared memory like {@link Chan}: the M running a goroutine changes it
 * directly. As in internal/poll, one goroutine at a time holds the read lock (fd.readLock) and may
 * be parked on the netpoller waiting for data; other readers wait for the lock on a semaphore.
 */
final class Pipe {
  final String name;
  /** Writes not yet read (a read takes all of them, as a read with a large buffer does). */
  long buffered;
  /** The read end is closed (r.Close()): reads fail at once, writes get EPIPE. */
  boolean closed;
  /** The write end is closed (w.Close()): reads see EOF once the buffer is empty. */
  boolean writeClosed;
  /** Holds fd.readLock: reading, or parked on the netpoller ({@link #parked}). */
  G reader;
  /** The reader is parked in netpoll ("IO wait") and nothing has readied it yet. */
  boolean parked;
  /** A write or close already made the descriptor ready for this park (epoll reports it once). */
  boolean notified;
  /** Readers waiting for fd.readLock (semacquire). */
  final ArrayDeque<G> lockq = new ArrayDeque<>();

  Pipe(String name) {
    this.name = name;
  }
}
