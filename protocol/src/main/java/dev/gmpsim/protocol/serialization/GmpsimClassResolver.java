package dev.gmpsim.protocol.serialization;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Maps every implementation of an actor reference type (ActorRefAdapter, the typed
 * ActorSystem, local, remote, promise and function refs ...) to the one registration of its
 * interface, {@code akka.actor.typed.ActorRef} or {@code akka.actor.ActorRef}: they are
 * Akka-internal classes that cannot be listed one by one, and the receiving side resolves the
 * path to whatever implementation fits there anyway.
 */
final class GmpsimClassResolver extends DefaultClassResolver {
  @Override
  public Registration getRegistration(Class type) {
    Registration r = super.getRegistration(type);
    if (r != null || type == null) {
      return r;
    }
    if (akka.actor.typed.ActorRef.class.isAssignableFrom(type)) {
      r = super.getRegistration(akka.actor.typed.ActorRef.class);
    } else if (akka.actor.ActorRef.class.isAssignableFrom(type)) {
      r = super.getRegistration(akka.actor.ActorRef.class);
    }
    if (r != null) {
      classToRegistration.put(type, r);
    }
    return r;
  }
}
