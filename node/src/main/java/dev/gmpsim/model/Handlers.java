package dev.gmpsim.model;

import akka.actor.typed.Behavior;
import java.util.IdentityHashMap;
import java.util.function.Function;

/**
 * A model actor's message handlers, one line per message type as with Akka's ReceiveBuilder,
 * but found by exact class in one lookup instead of a scan over the cases: a run delivers
 * millions of messages. Model messages are records, so exact classes are all there is.
 */
final class Handlers<C> {
  private final IdentityHashMap<Class<?>, Function<C, Behavior<C>>> byClass = new IdentityHashMap<>();

  static <C> Handlers<C> create() {
    return new Handlers<>();
  }

  @SuppressWarnings("unchecked")
  <M extends C> Handlers<C> on(Class<M> type, Function<M, Behavior<C>> handler) {
    byClass.put(type, (Function<C, Behavior<C>>) (Function<?, ?>) handler);
    return this;
  }

  /** The handler for {@code msg}, or null if this actor does not handle it. */
  Function<C, Behavior<C>> find(C msg) {
    return byClass.get(msg.getClass());
  }
}
