package dev.gmpsim.protocol.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The class registrations of {@code gmpsim.kryo.registrations}: fully qualified class name
 * ({@link Class#getName()}, so nested classes with {@code $} and arrays as {@code "[J"}) to an
 * explicit Kryo id. Every module adds its own classes in its reference.conf; the config library
 * merges them. Ids below {@link #MIN_ID} belong to Kryo's built-in registrations (int, String,
 * float, boolean, byte, char, short, long, double and their wrappers take 0-8).
 */
public final class KryoRegistrations {
  /** The config path of the registrations. */
  public static final String PATH = "gmpsim.kryo.registrations";

  /** The smallest id a configured registration may use. */
  public static final int MIN_ID = 100;

  private final Map<Class<?>, Integer> byClass;

  private KryoRegistrations(Map<Class<?>, Integer> byClass) {
    this.byClass = Collections.unmodifiableMap(byClass);
  }

  /**
   * Reads {@code gmpsim.kryo.registrations} from {@code config}. Fails with an
   * {@link IllegalArgumentException} naming the offending entry when a class cannot be loaded,
   * an id is not an integer, is below {@link #MIN_ID}, or is used twice.
   */
  public static KryoRegistrations fromConfig(Config config, ClassLoader loader) {
    if (!config.hasPath(PATH)) {
      throw new IllegalArgumentException(
          PATH + " is missing: is protocol's reference.conf on the class path?");
    }
    Config regs = config.getConfig(PATH);
    // Sorted by id, so every node registers in the same order (not that explicit ids need it).
    TreeMap<Integer, Class<?>> byId = new TreeMap<>();
    for (Map.Entry<String, com.typesafe.config.ConfigValue> e : regs.entrySet()) {
      // Quoted keys ("a.b.C" = 1) come back quoted; unquoted ones (a.b.C = 1) as nested
      // objects. Splitting the path and joining it again gives the class name either way.
      String className = String.join(".", ConfigUtil.splitPath(e.getKey()));
      if (e.getValue().valueType() != ConfigValueType.NUMBER) {
        throw new IllegalArgumentException(
            PATH + ": the id of " + className + " must be an integer, got " + e.getValue().render());
      }
      int id;
      try {
        id = regs.getInt(e.getKey());
      } catch (ConfigException ex) {
        throw new IllegalArgumentException(
            PATH + ": the id of " + className + " must be an integer, got " + e.getValue().render(), ex);
      }
      if (id < MIN_ID) {
        throw new IllegalArgumentException(
            PATH + ": " + className + " = " + id + ": ids below " + MIN_ID + " are reserved for Kryo");
      }
      Class<?> type;
      try {
        type = Class.forName(className, false, loader);
      } catch (ClassNotFoundException | LinkageError ex) {
        throw new IllegalArgumentException(
            PATH + ": class " + className + " (id " + id + ") cannot be loaded: " + ex, ex);
      }
      Class<?> previous = byId.putIfAbsent(id, type);
      if (previous != null) {
        throw new IllegalArgumentException(
            PATH + ": id " + id + " is given to both " + previous.getName() + " and " + className);
      }
    }
    Map<Class<?>, Integer> byClass = new LinkedHashMap<>();
    byId.forEach((id, type) -> {
      Integer other = byClass.putIfAbsent(type, id);
      if (other != null) {
        throw new IllegalArgumentException(
            PATH + ": " + type.getName() + " is registered twice, as " + other + " and " + id);
      }
    });
    return new KryoRegistrations(byClass);
  }

  /** Class to id, in increasing id order. */
  public Map<Class<?>, Integer> byClass() {
    return byClass;
  }

  public boolean isRegistered(Class<?> type) {
    return byClass.containsKey(type);
  }
}
