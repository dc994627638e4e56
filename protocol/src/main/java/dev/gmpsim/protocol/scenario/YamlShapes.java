package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shape a file must have, read from the records it binds to (as Jackson names their keys).
 * Jackson reports unknown keys only after a record's constructor has run, so a typo such as
 * {@code worklaod:} would otherwise show as "a scenario needs a workload"; checking the keys on
 * the tree first reports the typo.
 */
final class YamlShapes {
  private YamlShapes() {}

  /** A key path and what is wrong there. */
  record Problem(String path, String message) {}

  /** The first unknown or valueless key in {@code node} read as {@code type}, or null. */
  static Problem keys(ObjectMapper yaml, JsonNode node, JavaType type, String path) {
    if (node == null) {
      return null;
    }
    if (type.isCollectionLikeType() || type.isArrayType()) {
      for (int i = 0; node.isArray() && i < node.size(); i++) {
        Problem p = keys(yaml, node.get(i), type.getContentType(), path + "[" + i + "]");
        if (p != null) {
          return p;
        }
      }
      return null;
    }
    if (type.isMapLikeType()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.isObject() ? node.fields() : java.util.Collections.emptyIterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Problem p = keys(yaml, e.getValue(), type.getContentType(), child(path, e.getKey()));
        if (p != null) {
          return p;
        }
      }
      return null;
    }
    if (!type.getRawClass().isRecord() || !node.isObject()) {
      return null;
    }
    Map<String, JavaType> props = properties(yaml, type);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      String at = child(path, k);
      JavaType t = props.get(k);
      if (t == null) {
        String hint = ScenarioLoader.nearest(k, new ArrayList<Object>(props.keySet()));
        List<String> valid = new ArrayList<>(props.keySet());
        valid.sort(null);
        return new Problem(at, "unknown key '" + k + "'" + (hint == null ? "" : " (did you mean '" + hint + "'?)")
            + "; valid keys: " + String.join(", ", valid));
      }
      if (e.getValue().isNull()) {
        return new Problem(at, "no value given (write one, or leave the key out for the default)");
      }
      Problem p = keys(yaml, e.getValue(), t, at);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  /** The keys of a record as a file writes them, with their types. */
  static Map<String, JavaType> properties(ObjectMapper yaml, JavaType type) {
    Map<String, JavaType> out = new LinkedHashMap<>();
    for (BeanPropertyDefinition d : yaml.getDeserializationConfig().introspect(type).findProperties()) {
      out.put(d.getName(), d.getPrimaryType());
    }
    return out;
  }

  /** The type expected at a Jackson error path, or null if it cannot be followed. */
  static JavaType typeAt(ObjectMapper yaml, JavaType root, List<JsonMappingException.Reference> refs) {
    JavaType t = root;
    for (JsonMappingException.Reference r : refs) {
      if (t == null) {
        return null;
      }
      if (r.getFieldName() != null) {
        t = t.isMapLikeType() ? t.getContentType()
            : t.getRawClass().isRecord() ? properties(yaml, t).get(r.getFieldName()) : null;
      } else if (r.getIndex() >= 0) {
        t = t.isCollectionLikeType() || t.isArrayType() ? t.getContentType() : null;
      }
    }
    return t;
  }

  /** The node at a Jackson error path, or null. */
  static JsonNode nodeAt(JsonNode root, List<JsonMappingException.Reference> refs) {
    JsonNode n = root;
    for (JsonMappingException.Reference r : refs) {
      if (n == null) {
        return null;
      }
      n = r.getFieldName() != null ? n.get(r.getFieldName()) : r.getIndex() >= 0 ? n.get(r.getIndex()) : n;
    }
    return n;
  }

  /** What a value of {@code t} looks like, for "must be ..." messages. */
  static String describe(JavaType t) {
    if (t.isCollectionLikeType() || t.isArrayType()) {
      return "a list of " + plural(t.getContentType());
    }
    if (t.isMapLikeType()) {
      return "a mapping of names to " + plural(t.getContentType());
    }
    Class<?> c = t.getRawClass();
    if (c == Integer.class || c == int.class || c == Long.class || c == long.class || c == Short.class) {
      return "a whole number";
    }
    if (c == Double.class || c == double.class || c == Float.class) {
      return "a number";
    }
    if (c == Boolean.class || c == boolean.class) {
      return "true or false";
    }
    if (c == String.class) {
      return "text";
    }
    if (c.isEnum()) {
      return "one of " + choices(c);
    }
    if (c == Dist.class) {
      return "a duration or distribution such as 50ms or exp(1ms)";
    }
    if (c == Step.class) {
      return "a step such as compute: 1ms";
    }
    if (c == Group.class) {
      return "a group (a mapping with kind:, steps: and so on)";
    }
    return "a mapping";
  }

  private static String plural(JavaType t) {
    if (t.isCollectionLikeType()) {
      return "lists of " + plural(t.getContentType());
    }
    Class<?> c = t.getRawClass();
    if (c == Group.class) {
      return "groups";
    }
    if (c == Step.class) {
      return "steps";
    }
    if (c == Integer.class || c == Long.class) {
      return "whole numbers";
    }
    if (c == String.class) {
      return "text values";
    }
    return "mappings";
  }

  /** The enum's values as a file writes them. */
  static String choices(Class<?> enumType) {
    List<String> names = new ArrayList<>();
    for (Object o : enumType.getEnumConstants()) {
      names.add(((Enum<?>) o).name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return String.join(", ", names);
  }

  /** A value as a message quotes it. */
  static String found(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return null;
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isNull()) {
      return "nothing";
    }
    return n.isTextual() ? "'" + n.asText() + "'" : n.asText();
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
