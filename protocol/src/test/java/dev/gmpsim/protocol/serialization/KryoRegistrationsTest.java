package dev.gmpsim.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.ScenarioLibrary;
import dev.gmpsim.protocol.sweep.RunDone;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KryoRegistrationsTest {
  static final ClassLoader LOADER = KryoRegistrationsTest.class.getClassLoader();

  static KryoRegistrations parse(String hocon) {
    return KryoRegistrations.fromConfig(ConfigFactory.parseString(hocon), LOADER);
  }

  @Test
  void protocolReferenceConfRegistersItsMessages() {
    KryoRegistrations r = KryoRegistrations.fromConfig(ConfigFactory.load(), LOADER);
    assertEquals(100, r.byClass().get(RunRequest.class));
    assertEquals(101, r.byClass().get(RunDone.class));
    for (int id : r.byClass().values()) {
      assertTrue(id >= 100 && id <= 299, "protocol ids are 100-299, got " + id);
    }
    Config c = ConfigFactory.load();
    assertEquals("dev.gmpsim.protocol.serialization.KryoSerializer", c.getString("akka.actor.serializers.gmpsim-kryo"));
    assertEquals("gmpsim-kryo", c.getString("akka.actor.serialization-bindings.\"dev.gmpsim.protocol.GmpsimSerializable\""));
  }

  /**
   * Walks every record component, sealed subtype and type argument reachable from the protocol
   * messages: each record and enum among them must be registered, so that adding a Step or a
   * field of a new type without an id fails here rather than between nodes.
   */
  @Test
  void everythingReachableFromTheMessagesIsRegistered() {
    KryoRegistrations r = KryoRegistrations.fromConfig(ConfigFactory.load(), LOADER);
    Deque<Type> todo = new ArrayDeque<>(List.of(
        RunRequest.class, RunDone.class, RunResult.class, RunOptions.class, ScenarioLibrary.class));
    Set<Type> seen = new HashSet<>();
    List<String> missing = new ArrayList<>();
    while (!todo.isEmpty()) {
      Type t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof ParameterizedType p) {
        todo.push(p.getRawType());
        todo.addAll(List.of(p.getActualTypeArguments()));
        continue;
      }
      if (!(t instanceof Class<?> c) || c.isPrimitive() || c.getName().startsWith("java.lang.")) {
        continue;
      }
      if (c.isArray()) {
        todo.push(c.getComponentType());
        if (!r.isRegistered(c)) {
          missing.add(c.getName());
        }
      } else if (c.isSealed()) {
        todo.addAll(List.of(c.getPermittedSubclasses()));
      } else if (c.isRecord() || c.isEnum()) {
        if (!r.isRegistered(c)) {
          missing.add(c.getName());
        }
        if (c.isRecord()) {
          for (RecordComponent rc : c.getRecordComponents()) {
            todo.push(rc.getGenericType());
          }
        }
      }
    }
    assertTrue(missing.isEmpty(), "not registered: " + missing);
    assertTrue(seen.contains(dev.gmpsim.protocol.scenario.Step.FileRead.class));
  }

  @Test
  void quotedAndUnquotedKeysAndNullRemoval() {
    KryoRegistrations r = parse(String.join("\n",
        "gmpsim.kryo.registrations {",
        "  \"dev.gmpsim.protocol.sweep.RunRequest\" = 300",
        "  dev.gmpsim.protocol.sweep.RunDone = 301",
        "  \"[J\" = 302",
        "  \"java.util.ArrayList\" = 303",
        "  \"java.util.ArrayList\" = null",
        "}"));
    assertEquals(300, r.byClass().get(RunRequest.class));
    assertEquals(301, r.byClass().get(RunDone.class));
    assertEquals(302, r.byClass().get(long[].class));
    assertFalse(r.isRegistered(ArrayList.class));
  }

  static void fails(String hocon, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(hocon));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), e.getMessage());
    }
  }

  @Test
  void badRegistrationsFailLoudly() {
    fails("gmpsim.kryo.registrations { \"dev.gmpsim.protocol.sweep.RunRequest\" = 300,"
        + " \"dev.gmpsim.protocol.sweep.RunDone\" = 300 }", "300", "RunRequest", "RunDone");
    fails("gmpsim.kryo.registrations { \"dev.gmpsim.protocol.sweep.RunRequest\" = 5 }", "reserved", "RunRequest");
    fails("gmpsim.kryo.registrations { \"dev.gmpsim.NoSuchClass\" = 300 }", "dev.gmpsim.NoSuchClass");
    fails("gmpsim.kryo.registrations { \"dev.gmpsim.protocol.sweep.RunRequest\" = abc }", "integer", "RunRequest");
    fails("gmpsim.kryo.registrations { \"dev.gmpsim.protocol.sweep.RunRequest\" = 300,"
        + " dev.gmpsim.protocol.sweep.RunRequest = 301 }", "RunRequest");
    fails("a = 1", KryoRegistrations.PATH);
  }
}
