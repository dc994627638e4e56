package dev.gmpsim.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serializers for the views of {@code Collections.unmodifiableX}: the wrapped collection is a
 * private field of java.base that reflection cannot reach, so the contents are written
 * (keys and values with their classes, in iteration order) and read back into a
 * LinkedHashMap/ArrayList/LinkedHashSet, wrapped the same way. Equality and iteration order
 * survive; a sorted backing map becomes an insertion-ordered one with the same order (record
 * constructors such as Scenario's copy into a TreeMap again anyway).
 */
final class UnmodifiableSerializers {
  private UnmodifiableSerializers() {}

  static final Class<?> MAP = Collections.unmodifiableMap(new LinkedHashMap<>()).getClass();
  static final Class<?> RANDOM_ACCESS_LIST = Collections.unmodifiableList(new ArrayList<>()).getClass();
  static final Class<?> LIST = Collections.unmodifiableList(new LinkedList<>()).getClass();
  static final Class<?> SET = Collections.unmodifiableSet(new LinkedHashSet<>()).getClass();
  static final Class<?> COLLECTION = Collections.unmodifiableCollection(new ArrayList<>()).getClass();

  static void addDefaultSerializers(Kryo kryo) {
    kryo.addDefaultSerializer(MAP, new MapView());
    kryo.addDefaultSerializer(RANDOM_ACCESS_LIST, new CollectionView(Kind.LIST));
    kryo.addDefaultSerializer(LIST, new CollectionView(Kind.LIST));
    kryo.addDefaultSerializer(SET, new CollectionView(Kind.SET));
    kryo.addDefaultSerializer(COLLECTION, new CollectionView(Kind.COLLECTION));
  }

  /** A hash capacity for n entries, bounded so that a corrupt size cannot allocate much. */
  private static int capacity(int n) {
    return Math.max(16, (int) (Math.min(n, 1024) / 0.75f) + 1);
  }

  private enum Kind {
    LIST,
    SET,
    COLLECTION
  }

  static final class MapView extends Serializer<Map<Object, Object>> {
    MapView() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> map) {
      output.writeVarInt(map.size(), true);
      for (Map.Entry<Object, Object> e : map.entrySet()) {
        kryo.writeClassAndObject(output, e.getKey());
        kryo.writeClassAndObject(output, e.getValue());
      }
    }

    @Override
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      int n = input.readVarInt(true);
      Map<Object, Object> map = new LinkedHashMap<>(capacity(n));
      for (int i = 0; i < n; i++) {
        Object k = kryo.readClassAndObject(input);
        map.put(k, kryo.readClassAndObject(input));
      }
      return Collections.unmodifiableMap(map);
    }
  }

  static final class CollectionView extends Serializer<Collection<Object>> {
    private final Kind kind;

    CollectionView(Kind kind) {
      super(false, true);
      this.kind = kind;
    }

    @Override
    public void write(Kryo kryo, Output output, Collection<Object> c) {
      output.writeVarInt(c.size(), true);
      for (Object o : c) {
        kryo.writeClassAndObject(output, o);
      }
    }

    @Override
    public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
      int n = input.readVarInt(true);
      if (kind == Kind.SET) {
        Set<Object> set = new LinkedHashSet<>(capacity(n));
        for (int i = 0; i < n; i++) {
          set.add(kryo.readClassAndObject(input));
        }
        return Collections.unmodifiableSet(set);
      }
      List<Object> list = new ArrayList<>(Math.min(n, 1024));
      for (int i = 0; i < n; i++) {
        list.add(kryo.readClassAndObject(input));
      }
      return kind == Kind.LIST ? Collections.unmodifiableList(list) : Collections.unmodifiableCollection(list);
    }
  }
}
