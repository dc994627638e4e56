package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads scenario files. Every mistake becomes a {@link ScenarioException} naming file, line,
 * column and key; unknown keys come with the nearest valid one.
 */
public final class ScenarioLoader {
  private static final ObjectMapper YAML = mapper();

  private ScenarioLoader() {}

  public static ObjectMapper mapper() {
    return new ObjectMapper(new YAMLFactory())
        .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        // 2.5 for a count or GOMAXPROCS is a mistake, not 2.
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }

  public static Scenario load(Path file) throws ScenarioException {
    return parse(file.toString(), text(file));
  }

  /** A file's text: one line naming it when it is missing, unreadable or not UTF-8. */
  public static String text(Path file) throws ScenarioException {
    return YamlText.read(file, file.toString(), 0, 0, "");
  }

  /** Parses scenario text; {@code name} is its file name (includes are relative to it). */
  public static Scenario parse(String name, String text) throws ScenarioException {
    notASweep(name, text);
    Scenario s = read(name, text, Scenario.class);
    Path base = Path.of(name).toAbsolutePath().getParent();
    Map<String, List<Step>> steps = new TreeMap<>();
    Map<String, Integer> semaphores = new TreeMap<>();
    for (int i = 0; i < s.include().size(); i++) {
      include(name, text, "include[" + i + "]", base, s.include().get(i), steps, semaphores,
          new ArrayDeque<>(List.of(Path.of(name).toAbsolutePath().normalize())));
    }
    if (!steps.isEmpty() || !semaphores.isEmpty()) {
      s = s.withLibrary(steps, semaphores);
    }
    s = machineCpus(name, text, s);
    List<Scenario.Problem> problems = s.problems();
    if (!problems.isEmpty()) {
      Scenario.Problem p = problems.get(0);
      int[] at = locate(text, p.path());
      throw new ScenarioException(name, at == null ? 0 : at[0], at == null ? 0 : at[1], p.path(), p.message());
    }
    return s;
  }

  /**
   * runtime.cpus is an alias of machine.cpus: both given must agree; either one turns the CPU
   * model on, and GOMAXPROCS follows machine.cpus unless the file sets it.
   */
  private static Scenario machineCpus(String name, String text, Scenario s) throws ScenarioException {
    JsonNode rt = YamlText.tree(YAML, name, text).path("runtime");
    boolean runtimeCpus = rt.has("cpus");
    Integer cpus = s.machine().cpus();
    if (cpus != null && runtimeCpus && s.runtime().cpus() != cpus.intValue()) {
      int[] at = locate(text, "machine.cpus");
      throw new ScenarioException(name, at == null ? 0 : at[0], at == null ? 0 : at[1], "machine.cpus",
          "machine.cpus (" + cpus + ") and runtime.cpus (" + s.runtime().cpus()
              + ") disagree; runtime.cpus is an alias: give one of them");
    }
    if (cpus != null && !runtimeCpus) {
      return s.withRuntime(s.runtime().withCpus(cpus, !rt.has("gomaxprocs")));
    }
    if (cpus == null && (runtimeCpus || s.machine().declared())) {
      try {
        return s.withMachine(s.machine().withCpus(s.runtime().cpus()));
      } catch (FieldException e) {
        String key = "machine." + e.field();
        int[] at = locate(text, key);
        throw new ScenarioException(name, at == null ? 0 : at[0], at == null ? 0 : at[1], key, e.getMessage());
      }
    }
    return s;
  }

  /** Reads an included file (and what it includes) into {@code steps} and {@code semaphores}. */
  private static void include(
      String name, String text, String key, Path base, String file, Map<String, List<Step>> steps,
      Map<String, Integer> semaphores, Deque<Path> chain) throws ScenarioException {
    Path path = base.resolve(file).normalize();
    int[] at = locate(text, key);
    int line = at == null ? 0 : at[0];
    int col = at == null ? 0 : at[1];
    if (chain.contains(path)) {
      throw new ScenarioException(name, line, col, key, "'" + file + "' includes itself (through " + chain.peek().getFileName() + ")");
    }
    if (!Files.exists(path)) {
      throw new ScenarioException(name, line, col, key, "included file '" + file + "' not found");
    }
    String lib = YamlText.read(path, name, line, col, key);
    ScenarioLibrary l = read(path.toString(), lib, ScenarioLibrary.class);
    chain.push(path);
    for (int i = 0; i < l.include().size(); i++) {
      include(path.toString(), lib, "include[" + i + "]", path.getParent(), l.include().get(i), steps, semaphores, chain);
    }
    chain.pop();
    // Later includes and the including file win over earlier ones.
    steps.putAll(l.steps());
    semaphores.putAll(l.semaphores());
  }

  /** Binds YAML text to {@code type}, turning every failure into a one-line user error. */
  public static <T> T read(String name, String text, Class<T> type) throws ScenarioException {
    JsonNode tree = YamlText.tree(YAML, name, text);
    if (!tree.isObject()) {
      throw new ScenarioException(name, 1, 1, "", "the file must be a mapping of keys" + example(type)
          + ", not " + (tree.isArray() ? "a list" : "a single value (" + YamlShapes.found(tree) + ")"));
    }
    if (type == JsonNode.class) {
      return type.cast(tree);
    }
    JavaType root = YAML.constructType(type);
    YamlShapes.Problem p = YamlShapes.keys(YAML, tree, root, "");
    if (p != null) {
      int[] at = locate(text, p.path());
      throw new ScenarioException(name, at == null ? 0 : at[0], at == null ? 0 : at[1], p.path(), p.message());
    }
    try {
      return YAML.readValue(text, type);
    } catch (JsonMappingException e) {
      throw translate(name, text, tree, root, e);
    } catch (JsonProcessingException e) {
      throw YamlText.syntax(name, e);
    }
  }

  private static String example(Class<?> type) {
    if (type == Scenario.class) {
      return " (name:, runtime:, workload:, ...)";
    }
    if (type == ScenarioLibrary.class) {
      return " (steps:, semaphores:, include:)";
    }
    return "";
  }

  /** A sweep file given where a scenario is expected: say so, and how to run it. */
  private static void notASweep(String name, String text) throws ScenarioException {
    JsonNode tree;
    try {
      tree = YAML.readTree(text);
    } catch (IOException | RuntimeException e) {
      return;
    }
    if (tree != null && tree.isObject() && !tree.has("workload")
        && (tree.has("parameters") || tree.has("base") || tree.has("scenario"))) {
      throw new ScenarioException(name, 0, 0, "",
          "this is a sweep file, not a scenario; run it with: gmpsim sweep " + name + " --out DIR");
    }
  }

  private static ScenarioException translate(
      String name, String text, JsonNode tree, JavaType root, JsonMappingException e) {
    String path = path(e.getPath());
    Throwable cause = e.getCause();
    while (cause != null && !(cause instanceof FieldException) && !(cause instanceof InputCoercionException)
        && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof FieldException fe) {
      String key = fe.field().isEmpty() ? path : path.isEmpty() ? fe.field() : path + "." + fe.field();
      int[] at = locate(text, key);
      if (at == null) {
        at = locate(text, path);
      }
      if (at == null) {
        at = position(e.getLocation());
      }
      return new ScenarioException(name, at[0], at[1], key, fe.getMessage());
    }
    int[] at = position(e.getLocation());
    if (e instanceof UnrecognizedPropertyException u) {
      String unknown = u.getPropertyName();
      String hint = nearest(unknown, u.getKnownPropertyIds());
      String key = path.isEmpty() ? unknown : path;
      int[] keyAt = locate(text, key);
      if (keyAt != null) {
        at = keyAt;
      }
      return new ScenarioException(
          name, at[0], at[1], key,
          "unknown key '" + unknown + "'" + (hint == null ? "" : " (did you mean '" + hint + "'?)")
              + "; valid keys: " + known(u.getKnownPropertyIds()));
    }
    String got = YamlShapes.found(YamlShapes.nodeAt(tree, e.getPath()));
    if (cause instanceof InputCoercionException ice) {
      Class<?> t = ice.getTargetType();
      String max = t == Integer.class || t == int.class ? "2147483647" : "9223372036854775807";
      int[] keyAt = locate(text, path);
      at = keyAt != null ? keyAt : at;
      return new ScenarioException(name, at[0], at[1], path,
          (got == null ? "the number" : got) + " is too large (at most " + max + ")");
    }
    String msg = e.getOriginalMessage();
    if (msg.startsWith("Cannot deserialize value of type") || msg.startsWith("Cannot coerce")
        || msg.startsWith("Cannot construct instance of")) {
      JavaType want = YamlShapes.typeAt(YAML, root, e.getPath());
      if (want != null) {
        return new ScenarioException(name, at[0], at[1], path,
            "must be " + YamlShapes.describe(want) + (got == null ? "" : ", got " + got));
      }
      msg = "wrong type: " + simplify(msg);
    }
    int nl = msg.indexOf('\n');
    return new ScenarioException(name, at[0], at[1], path, nl < 0 ? msg : msg.substring(0, nl));
  }

  private static String simplify(String msg) {
    int nl = msg.indexOf('\n');
    String first = nl < 0 ? msg : msg.substring(0, nl);
    return first
        .replace("Cannot deserialize value of type ", "expected ")
        .replaceAll("`java\\.lang\\.(\\w+)`", "$1")
        .replaceAll("`[\\w.$]+\\.(\\w+)`", "$1")
        .toLowerCase(Locale.ROOT);
  }

  private static int[] position(JsonLocation loc) {
    return loc == null ? new int[] {0, 0} : new int[] {loc.getLineNr(), loc.getColumnNr()};
  }

  static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static String known(Collection<Object> ids) {
    List<String> names = new ArrayList<>();
    ids.forEach(o -> names.add(String.valueOf(o)));
    names.sort(null);
    return String.join(", ", names);
  }

  /** The known key closest to {@code word} by edit distance, if it is close enough to be a typo. */
  public static String nearest(String word, Collection<Object> candidates) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (Object c : candidates) {
      String s = String.valueOf(c);
      int d = distance(word.toLowerCase(Locale.ROOT), s.toLowerCase(Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = s;
      }
    }
    return best != null && bestD <= Math.max(2, word.length() / 3) ? best : null;
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The line and column of a dotted key path ("workload[0].count") in the YAML text. */
  static int[] locate(String text, String dotted) {
    return new YamlPositions(text).of(dotted);
  }

}
