/**
 * Kryo 5 serialization of the messages that cross nodes ({@link
 * dev.gmpsim.protocol.GmpsimSerializable}) for Akka: {@link
 * dev.gmpsim.protocol.serialization.KryoSerializer}, configured by protocol's reference.conf
 * ({@code gmpsim.kryo}, id ranges per module) and the {@code gmpsim.kryo.registrations} that
 * each module adds to its own reference.conf.
 */
package dev.gmpsim.protocol.serialization;
