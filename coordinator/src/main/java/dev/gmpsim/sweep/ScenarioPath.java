package dev.gmpsim.sweep;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.protocol.scenario.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parameter's address in a scenario: {@code runtime.gomaxprocs}, {@code workload[0].rate},
 * {@code workload[0].steps[1].cgo}, {@code semaphores.cgo}. Keys are checked against the
 * scenario's schema (the records Jackson binds, in kebab-case), map entries and list indices
 * against the base scenario's YAML tree; inside a step only keys the step already has can be set.
 */
record ScenarioPath(String text, List<Segment> segments) {
  /** A key ({@code index} -1) or a list index ({@code key} null). */
  record Segment(String key, int index) {}

  /** A path that does not fit the scenario: the message names the key and the nearest valid one. */
  static final class PathException extends Exception {
    PathException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper MAPPER = ScenarioLoader.mapper();
  private static final Pattern PART = Pattern.compile("([^.\\[\\]]+)?((?:\\[[0-9]+\\])*)");
  private static final Pattern INDEX = Pattern.compile("\\[([0-9]+)\\]");

  /** Splits {@code text} into keys and indices; a malformed path is a PathException. */
  static ScenarioPath parse(String text) throws PathException {
    if (text == null || text.isBlank()) {
      throw new PathException("a parameter needs a path such as runtime.gomaxprocs");
    }
    List<Segment> segs = new ArrayList<>();
    for (String part : text.split("\\.", -1)) {
      Matcher m = PART.matcher(part);
      if (part.isEmpty() || !m.matches() || (m.group(1) == null && segs.isEmpty())) {
        throw new PathException(
            "'" + text + "' is not a path (write keys with dots and list indices in brackets:"
                + " workload[0].steps[1].cgo)");
      }
      if (m.group(1) != null) {
        segs.add(new Segment(m.group(1), -1));
      }
      Matcher ix = INDEX.matcher(m.group(2));
      while (ix.find()) {
        try {
          segs.add(new Segment(null, Integer.parseInt(ix.group(1))));
        } catch (NumberFormatException e) {
          throw new PathException("'" + text + "': index " + ix.group(1) + " is too large");
        }
      }
    }
    return new ScenarioPath(text, List.copyOf(segs));
  }

  private enum Shape {
    RECORD,
    MAP,
    LIST,
    STEP,
    FREE,
    VALUE
  }

  /**
   * Sets {@code value} at this path in {@code root} (a scenario's YAML tree, changed in place),
   * creating missing objects on the way (such as {@code runtime:}). {@code extraKeys} gives, for a
   * map's path ("semaphores", "steps"), the entries the base has from included files.
   */
  void set(ObjectNode root, JsonNode value, Function<String, Set<String>> extraKeys)
      throws PathException {
    JsonNode cur = root;
    JavaType type = MAPPER.constructType(Scenario.class);
    Shape shape = Shape.RECORD;
    StringBuilder at = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      Segment seg = segments.get(i);
      boolean last = i == segments.size() - 1;
      String where = at.length() == 0 ? "the scenario" : at.toString();
      JavaType childType = null;
      Shape childShape;
      if (seg.key() != null) {
        String key = seg.key();
        switch (shape) {
          case RECORD -> {
            Map<String, JavaType> props = properties(type);
            childType = props.get(key);
            if (childType == null) {
              String hint = ScenarioLoader.nearest(key, new ArrayList<Object>(props.keySet()));
              throw new PathException(
                  "unknown key '" + key + "' in " + where + hintText(hint) + "; valid keys: "
                      + String.join(", ", new TreeSet<>(props.keySet())));
            }
            childShape = shape(childType);
          }
          case MAP -> {
            Set<String> keys = new TreeSet<>();
            cur.fieldNames().forEachRemaining(keys::add);
            keys.addAll(extraKeys.apply(at.toString()));
            if (!keys.contains(key)) {
              String hint = ScenarioLoader.nearest(key, new ArrayList<Object>(keys));
              throw new PathException(
                  "no entry '" + key + "' under " + where + hintText(hint)
                      + (keys.isEmpty() ? "; the base scenario has none" : "; the base scenario has: " + String.join(", ", keys)));
            }
            childType = type.getContentType();
            childShape = shape(childType);
          }
          case STEP, FREE -> {
            if (!cur.isObject()) {
              throw new PathException(
                  where + " is '" + cur.asText() + "' in the base scenario; it has no key '" + key + "'");
            }
            if (!cur.has(key)) {
              List<String> keys = new ArrayList<>();
              cur.fieldNames().forEachRemaining(keys::add);
              String hint = ScenarioLoader.nearest(key, new ArrayList<Object>(keys));
              throw new PathException(
                  (shape == Shape.STEP ? where + " is a '" + String.join("', '", keys) + "' step" : where + " has the keys " + String.join(", ", keys))
                      + " in the base scenario, no '" + key + "'" + hintText(hint)
                      + " (inside a step, a path can only name keys the base scenario writes)");
            }
            childShape = Shape.FREE;
          }
          case LIST -> throw new PathException(
              where + " is a list; give an index such as " + where + "[0] before '" + key + "'");
          default -> throw new PathException(where + " is a single value; it has no key '" + key + "'");
        }
        ObjectNode obj = (ObjectNode) cur;
        if (last) {
          obj.set(key, value);
          return;
        }
        JsonNode next = obj.get(key);
        if (next == null || next.isNull()) {
          if (childShape == Shape.RECORD || childShape == Shape.MAP) {
            next = obj.putObject(key);
          } else if (childShape == Shape.LIST) {
            throw new PathException(
                join(at, key) + " is not in the base scenario, so it has no entries to index");
          } else {
            throw new PathException(join(at, key) + " is not in the base scenario");
          }
        } else if ((childShape == Shape.RECORD || childShape == Shape.MAP) && !next.isObject()) {
          throw new PathException(join(at, key) + " is not a mapping in the base scenario");
        }
        cur = next;
        type = childType;
        shape = childShape;
        if (at.length() > 0) {
          at.append('.');
        }
        at.append(key);
      } else {
        int ix = seg.index();
        if (shape != Shape.LIST && !(shape == Shape.FREE && cur.isArray())) {
          throw new PathException(where + " is not a list; [" + ix + "] does not apply");
        }
        if (!cur.isArray()) {
          throw new PathException(where + " is not a list in the base scenario");
        }
        ArrayNode arr = (ArrayNode) cur;
        if (ix >= arr.size()) {
          throw new PathException(
              "index " + ix + " is out of range: " + where + " has " + arr.size()
                  + (arr.size() == 1 ? " entry ([0])" : " entries ([0] to [" + (arr.size() - 1) + "])"));
        }
        if (shape == Shape.LIST) {
          type = type.getContentType();
          shape = shape(type);
        }
        at.append('[').append(ix).append(']');
        if (last) {
          arr.set(ix, value);
          return;
        }
        cur = arr.get(ix);
        if (shape == Shape.RECORD && !cur.isObject()) {
          throw new PathException(at + " is not a mapping in the base scenario");
        }
      }
    }
  }

  private static String join(StringBuilder at, String key) {
    return at.length() == 0 ? key : at + "." + key;
  }

  private static String hintText(String hint) {
    return hint == null ? "" : " (did you mean '" + hint + "'?)";
  }

  private static Shape shape(JavaType t) {
    if (t.isMapLikeType()) {
      return Shape.MAP;
    }
    if (t.isCollectionLikeType() || t.isArrayType()) {
      return Shape.LIST;
    }
    if (t.getRawClass() == Step.class) {
      return Shape.STEP;
    }
    if (t.getRawClass().isRecord()) {
      return Shape.RECORD;
    }
    return Shape.VALUE;
  }

  private static final Map<JavaType, Map<String, JavaType>> PROPS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The keys a record takes in YAML (kebab-case, with renames) and their types. */
  static Map<String, JavaType> properties(JavaType type) {
    return PROPS.computeIfAbsent(type, t -> {
      Map<String, JavaType> out = new LinkedHashMap<>();
      List<BeanPropertyDefinition> defs =
          MAPPER.getDeserializationConfig().introspect(t).findProperties();
      for (BeanPropertyDefinition d : defs) {
        if (d.couldDeserialize()) {
          out.put(d.getName(), d.getPrimaryType());
        }
      }
      return out;
    });
  }

  @Override
  public String toString() {
    return text;
  }
}
