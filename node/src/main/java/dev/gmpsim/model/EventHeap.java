package dev.gmpsim.model;

import akka.actor.typed.ActorRef;
import java.util.Arrays;

/**
 * A binary min-heap of events keyed by (time, sequence), kept in parallel arrays so that the
 * comparisons are on primitive longs: the event list is the hottest structure of a run.
 */
final class EventHeap {
  private long[] at = new long[1024];
  private long[] seq = new long[1024];
  private ActorRef<?>[] to = new ActorRef<?>[1024];
  private Msg[] msg = new Msg[1024];
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long peekAt() {
    return at[0];
  }

  ActorRef<?> peekTo() {
    return to[0];
  }

  Msg peekMsg() {
    return msg[0];
  }

  Msg msgAt(int i) {
    return msg[i];
  }

  void add(long t, long s, ActorRef<?> r, Msg m) {
    if (size == at.length) {
      int n = size * 2;
      at = Arrays.copyOf(at, n);
      seq = Arrays.copyOf(seq, n);
      to = Arrays.copyOf(to, n);
      msg = Arrays.copyOf(msg, n);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (at[parent] < t || (at[parent] == t && seq[parent] < s)) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    set(i, t, s, r, m);
  }

  /** Removes the head (read it first with the peek methods). */
  void removeHead() {
    int last = --size;
    long t = at[last];
    long s = seq[last];
    ActorRef<?> r = to[last];
    Msg m = msg[last];
    to[last] = null;
    msg[last] = null;
    if (last == 0) {
      return;
    }
    int i = 0;
    int half = last >>> 1;
    while (i < half) {
      int c = 2 * i + 1;
      int right = c + 1;
      if (right < last && (at[right] < at[c] || (at[right] == at[c] && seq[right] < seq[c]))) {
        c = right;
      }
      if (t < at[c] || (t == at[c] && s < seq[c])) {
        break;
      }
      move(c, i);
      i = c;
    }
    set(i, t, s, r, m);
  }

  private void move(int from, int into) {
    at[into] = at[from];
    seq[into] = seq[from];
    to[into] = to[from];
    msg[into] = msg[from];
  }

  private void set(int i, long t, long s, ActorRef<?> r, Msg m) {
    at[i] = t;
    seq[i] = s;
    to[i] = r;
    msg[i] = m;
  }
}
