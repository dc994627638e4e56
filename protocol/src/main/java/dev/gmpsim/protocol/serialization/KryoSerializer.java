package dev.gmpsim.protocol.serialization;

import akka.actor.ExtendedActorSystem;
import akka.serialization.SerializerWithStringManifest;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.Pool;
import com.typesafe.config.Config;
import java.io.NotSerializableException;
import java.util.Map;

/**
 * The Akka serializer for every {@link dev.gmpsim.protocol.GmpsimSerializable} message: Kryo 5
 * with registration required and the explicit ids of {@code gmpsim.kryo.registrations} (see
 * protocol's reference.conf for the id ranges of each module).
 *
 * <ul>
 *   <li>The manifest is the message class's registration id, so classes can be renamed or
 *       moved as long as their id stays; the bytes are the message without a class header.
 *   <li>Records go through Kryo's RecordSerializer, which calls the canonical constructor:
 *       the receiver gets a record equal to the sent one.
 *   <li>Actor references (typed and classic) are written as their serialization format and
 *       resolved on the receiving side; all their implementation classes share the one
 *       registration of their interface.
 *   <li>A class without a registration, at the top or anywhere inside, fails serialization with
 *       an exception naming it.
 *   <li>Kryo instances are not thread-safe: they come from a {@link Pool}, and each call has
 *       its own Output or Input.
 * </ul>
 */
public final class KryoSerializer extends SerializerWithStringManifest {
  /** The serializer's name under {@code akka.actor.serializers}. */
  public static final String NAME = "gmpsim-kryo";

  private static final String SETTINGS = "gmpsim.kryo";

  private final ExtendedActorSystem system;
  private final int identifier;
  private final KryoRegistrations registrations;
  private final int bufferSize;
  private final int maxBufferSize;
  private final ActorRefSerializers.Typed typedRefs;
  private final ActorRefSerializers.Classic classicRefs;
  private final Pool<Kryo> pool;

  public KryoSerializer(ExtendedActorSystem system) {
    this.system = system;
    Config config = system.settings().config();
    this.identifier =
        config.getInt("akka.actor.serialization-identifiers.\"" + KryoSerializer.class.getName() + "\"");
    Config settings = config.getConfig(SETTINGS);
    this.bufferSize = (int) settings.getBytes("buffer-size").longValue();
    long max = settings.getBytes("max-buffer-size");
    this.maxBufferSize = max <= 0 || max > Integer.MAX_VALUE ? -1 : (int) max;
    int poolSize = settings.getInt("pool-size");
    this.registrations = KryoRegistrations.fromConfig(config, system.dynamicAccess().classLoader());
    this.typedRefs = new ActorRefSerializers.Typed(system);
    this.classicRefs = new ActorRefSerializers.Classic(system);
    Kryo first = newKryo(); // registers everything now: a bad registration fails at startup
    this.pool =
        new Pool<>(true, false, poolSize) {
          @Override
          protected Kryo create() {
            return newKryo();
          }
        };
    pool.free(first);
  }

  private Kryo newKryo() {
    Kryo kryo = new Kryo(new GmpsimClassResolver(), null);
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    kryo.setClassLoader(system.dynamicAccess().classLoader());
    // List.of/Set.of/Map.of and their copyOf (ImmutableCollections$ListN, List12, Map1, MapN...).
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    UnmodifiableSerializers.addDefaultSerializers(kryo);
    kryo.addDefaultSerializer(akka.actor.typed.ActorRef.class, typedRefs);
    kryo.addDefaultSerializer(akka.actor.ActorRef.class, classicRefs);
    for (Map.Entry<Class<?>, Integer> e : registrations.byClass().entrySet()) {
      kryo.register(e.getKey(), e.getValue());
    }
    return kryo;
  }

  @Override
  public int identifier() {
    return identifier;
  }

  /** The configured registrations: class to id. */
  public KryoRegistrations registrations() {
    return registrations;
  }

  @Override
  public String manifest(Object o) {
    Integer id = registrations.byClass().get(o.getClass());
    if (id != null) {
      return Integer.toString(id);
    }
    Kryo kryo = pool.obtain();
    try {
      Registration r = kryo.getRegistration(o.getClass());
      pool.free(kryo);
      return Integer.toString(r.getId());
    } catch (RuntimeException e) {
      throw failure("serialize", o.getClass().getName(), e);
    }
  }

  @Override
  public byte[] toBinary(Object o) {
    Kryo kryo = pool.obtain();
    try {
      Output output = new Output(bufferSize, maxBufferSize);
      kryo.writeObject(output, o);
      byte[] bytes = output.toBytes();
      pool.free(kryo);
      return bytes;
    } catch (RuntimeException e) {
      // The instance is dropped, not freed: a failed write can leave it mid-graph.
      throw failure("serialize", o.getClass().getName(), e);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    int id;
    try {
      id = Integer.parseInt(manifest);
    } catch (NumberFormatException e) {
      throw new NotSerializableException(
          NAME + ": manifest '" + manifest + "' is not a registration id");
    }
    Kryo kryo = pool.obtain();
    Registration r = kryo.getRegistration(id);
    if (r == null) {
      pool.free(kryo);
      throw new NotSerializableException(
          NAME + ": no class is registered with id " + id + " under " + KryoRegistrations.PATH
              + " (is the sender's module, or its reference.conf, missing here?)");
    }
    try {
      Input input = new Input(bytes);
      Object o = kryo.readObject(input, r.getType());
      if (input.position() != bytes.length) {
        throw new IllegalStateException(
            (bytes.length - input.position()) + " of " + bytes.length
                + " bytes left unread: sender and receiver disagree on the class or its registrations");
      }
      pool.free(kryo);
      return o;
    } catch (RuntimeException e) {
      throw failure("deserialize", r.getType().getName() + " (id " + id + ")", e);
    }
  }

  /**
   * The exception Akka reports: what failed, for which message class, and Kryo's reason
   * (which names an unregistered class and the field path to it), without Kryo's advice to
   * call kryo.register, which does not apply here.
   */
  private static IllegalArgumentException failure(String what, String type, RuntimeException e) {
    String msg = String.valueOf(e.getMessage())
        .replaceAll("(?m)^Note: To register this class use: .*(\\R|$)", "")
        .replace(IllegalArgumentException.class.getName() + ": ", "")
        .strip();
    if (msg.contains("Class is not registered")) {
      msg += "\nGive the class an id under " + KryoRegistrations.PATH + " in its module's reference.conf.";
    }
    return new IllegalArgumentException(NAME + " cannot " + what + " " + type + ": " + msg, e);
  }
}
