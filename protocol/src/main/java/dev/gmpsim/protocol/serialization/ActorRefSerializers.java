package dev.gmpsim.protocol.serialization;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Kryo serializers for actor references, written as their serialization format (the full
 * path with address and uid) and resolved again on the receiving side. Every implementation
 * class of a reference type shares one registration, see {@link GmpsimClassResolver}.
 */
final class ActorRefSerializers {
  private ActorRefSerializers() {}

  /** Typed references, through {@link ActorRefResolver}. */
  static final class Typed extends Serializer<akka.actor.typed.ActorRef<?>> {
    private final ExtendedActorSystem system;
    private volatile ActorRefResolver resolver;

    Typed(ExtendedActorSystem system) {
      super(false, true);
      this.system = system;
    }

    /**
     * The resolver is looked up on first use: serializers are created while the actor system
     * starts, before its typed adapter and extensions can be used.
     */
    private ActorRefResolver resolver() {
      ActorRefResolver r = resolver;
      if (r == null) {
        r = ActorRefResolver.get(Adapter.toTyped(system));
        resolver = r;
      }
      return r;
    }

    @Override
    public void write(Kryo kryo, Output output, akka.actor.typed.ActorRef<?> ref) {
      output.writeString(resolver().toSerializationFormat(ref));
    }

    @Override
    public akka.actor.typed.ActorRef<?> read(
        Kryo kryo, Input input, Class<? extends akka.actor.typed.ActorRef<?>> type) {
      return resolver().resolveActorRef(input.readString());
    }
  }

  /** Classic references, through {@link Serialization#serializedActorPath}. */
  static final class Classic extends Serializer<akka.actor.ActorRef> {
    private final ExtendedActorSystem system;

    Classic(ExtendedActorSystem system) {
      super(false, true);
      this.system = system;
    }

    @Override
    public void write(Kryo kryo, Output output, akka.actor.ActorRef ref) {
      output.writeString(Serialization.serializedActorPath(ref));
    }

    @Override
    public akka.actor.ActorRef read(Kryo kryo, Input input, Class<? extends akka.actor.ActorRef> type) {
      return system.provider().resolveActorRef(input.readString());
    }
  }
}
