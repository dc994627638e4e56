package dev.gmpsim.model;

import java.util.function.Consumer;

/**
 * Every message between model actors. {@link #at()} is the virtual time (ns since the run
 * started) at which the receiver handles it; the run's {@link Clock} delivers messages in
 * (at, sequence) order, one at a time.
 */
public interface Msg {
  long at();

  /** Goroutines this message carries (a G in flight is in no queue); used by the lost-G check. */
  default void forEachG(Consumer<G> action) {}
}
