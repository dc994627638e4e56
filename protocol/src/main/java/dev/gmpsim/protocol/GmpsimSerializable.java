package dev.gmpsim.protocol;

/**
 * Marks a message that may cross nodes. protocol's reference.conf binds this interface to the
 * Kryo serializer ({@code dev.gmpsim.protocol.serialization.KryoSerializer}); a class that
 * implements it must also have an id under {@code gmpsim.kryo.registrations} (in the
 * reference.conf of the module that declares it), and so must every class reachable from its
 * fields, or serialization fails naming the unregistered class.
 */
public interface GmpsimSerializable {}
