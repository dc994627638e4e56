package dev.gmpsim.sweep;

import dev.gmpsim.protocol.scenario.YamlPositions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gmpsim.protocol.scenario.Nanos;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.ScenarioException;
import dev.gmpsim.protocol.scenario.ScenarioLoader;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads sweep files (see docs/sweeps.md) and expands them into runs. Every mistake is a
 * {@link ScenarioException} naming the sweep file, line, column and key, as for scenarios.
 *
 * <p>A run's scenario is made by setting each parameter's value at its path in the base
 * scenario's YAML tree and reading the result with {@link ScenarioLoader#parse}, so includes,
 * named steps and all of the scenario's checks apply as for {@code gmpsim run}.
 */
public final class SweepLoader {
  /** More runs than this in one sweep is taken for a mistake. */
  public static final int MAX_RUNS = 100_000;

  private static final List<String> TOP =
      List.of("name", "description", "base", "scenario", "seed", "replicas", "duration", "warmup",
          "metrics", "parameters");
  private static final List<String> PARAM = List.of("path", "values", "range", "random", "template");
  private static final List<String> RANGE = List.of("from", "to", "steps", "step", "scale");
  private static final List<String> RANDOM = List.of("from", "to", "count", "scale");
  private static final List<String> BLOCK = List.of("count", "parameters");
  private static final List<String> BLOCK_PARAM = List.of("path", "from", "to", "scale", "template");
  private static final int MAX_VALUES = 10_000;
  private static final ObjectMapper YAML = ScenarioLoader.mapper();

  private final Path file;
  private final String name;
  private final YamlPositions positions;
  private final JsonNode root;

  /** One value set at one path, with the sweep-file key that produced it (for errors). */
  private record Assignment(ScenarioPath path, JsonNode value, String text, String key) {}

  /** An axis of the cartesian product: its points, each a list of assignments. */
  private record Axis(List<List<Assignment>> points) {}

  /** The bounds of a range or a sampled parameter. */
  private record Bounds(Quantity from, Quantity to, boolean log, String template) {
    JsonNode node(double v) {
      return template == null ? Quantity.node(v, from, to) : TextNode.valueOf(text(v));
    }

    String text(double v) {
      String t = Quantity.format(v, from, to);
      return template == null ? t : template.replace("{}", t);
    }

    double at(double u) {
      if (u <= 0) {
        return from.value();
      }
      if (u >= 1) {
        return to.value();
      }
      if (log) {
        return Math.exp(Math.log(from.value()) + (Math.log(to.value()) - Math.log(from.value())) * u);
      }
      return from.value() + (to.value() - from.value()) * u;
    }

    String span() {
      return from.text() + ".." + to.text();
    }

    String scale() {
      return log ? "log" : "linear";
    }
  }

  private SweepLoader(Path file, String text, JsonNode root) {
    this.file = file;
    this.name = file.toString();
    this.positions = new YamlPositions(text);
    this.root = root;
  }

  /** Reads and expands a sweep file. */
  public static SweepPlan load(Path file) throws ScenarioException {
    String text = ScenarioLoader.text(file);
    try {
      JsonNode root = ScenarioLoader.read(file.toString(), text, JsonNode.class);
      return new SweepLoader(file, text, root).plan();
    } catch (ScenarioException e) {
      throw oneLine(e);
    }
  }

  /** YAML syntax errors come with the parser's excerpt on several lines; keep one. */
  private static ScenarioException oneLine(ScenarioException e) {
    if (!e.problem().contains("\n")) {
      return e;
    }
    String p = e.problem().replaceAll("\\s*\\n\\s*", " ").replaceAll(" in 'reader', line \\d+, column \\d+:.*?\\^", ";").replaceAll("[;\\s]+$", "");
    return new ScenarioException(e.file(), e.line(), e.column(), e.key(), p);
  }

  // ---------------------------------------------------------------------------------------------

  private ScenarioException error(String key, String problem) {
    int[] at = positions.of(key);
    return new ScenarioException(name, at == null ? 0 : at[0], at == null ? 0 : at[1], key, problem);
  }

  private static String child(String key, String sub) {
    return key.isEmpty() ? sub : key + "." + sub;
  }

  private void checkKeys(JsonNode obj, String key, List<String> valid, String what) throws ScenarioException {
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!valid.contains(k)) {
        String hint = ScenarioLoader.nearest(k, new ArrayList<Object>(valid));
        throw error(child(key, k),
            "unknown key '" + k + "' in " + what + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                + "; valid keys: " + String.join(", ", valid));
      }
    }
  }

  private JsonNode object(JsonNode n, String key, String what) throws ScenarioException {
    if (n == null || !n.isObject()) {
      throw error(key, what + " must be a mapping" + (n == null ? "" : ", got " + describe(n)));
    }
    return n;
  }

  private static String describe(JsonNode n) {
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isNull()) {
      return "nothing";
    }
    return "'" + n.asText() + "'";
  }

  private long integer(JsonNode n, String key, long min) throws ScenarioException {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw error(key, "expected a whole number, got " + (n == null ? "nothing" : describe(n)));
    }
    long v = n.asLong();
    if (v < min) {
      throw error(key, key.substring(key.lastIndexOf('.') + 1) + " must be at least " + min + ", got " + v);
    }
    return v;
  }

  private String text(JsonNode n, String key) throws ScenarioException {
    if (n == null || !n.isValueNode() || n.isNull()) {
      throw error(key, "expected text, got " + (n == null ? "nothing" : describe(n)));
    }
    return n.asText();
  }

  // ---------------------------------------------------------------------------------------------

  private SweepPlan plan() throws ScenarioException {
    if (!root.isObject()) {
      throw error("", "a sweep file is a mapping with base: (or scenario:) and parameters:");
    }
    checkKeys(root, "", TOP, "a sweep file");
    String sweepName = root.has("name") ? text(root.get("name"), "name") : defaultName();
    String description = root.has("description") ? text(root.get("description"), "description") : "";

    // The base scenario: a file relative to the sweep file, or inline.
    if (root.has("base") == root.has("scenario")) {
      throw error(root.has("base") ? "scenario" : "",
          "a sweep needs exactly one of base: (a scenario file, relative to the sweep file) and scenario: (inline)");
    }
    Path basePath = null;
    String scenarioName;
    Scenario baseScenario;
    ObjectNode baseTree;
    if (root.has("base")) {
      String b = text(root.get("base"), "base");
      Path dir = file.getParent();
      basePath = (dir == null ? Path.of(b) : dir.resolve(b)).normalize();
      if (!Files.isRegularFile(basePath)) {
        throw error("base", "base scenario '" + b + "' not found (looked for " + basePath + ")");
      }
      baseScenario = ScenarioLoader.load(basePath);
      String baseText;
      try {
        baseText = Files.readString(basePath, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw error("base", "cannot read '" + b + "': " + e.getMessage());
      }
      scenarioName = basePath.toString();
      baseTree = (ObjectNode) ScenarioLoader.read(scenarioName, baseText, JsonNode.class);
    } else {
      baseTree = (ObjectNode) object(root.get("scenario"), "scenario", "scenario").deepCopy();
      scenarioName = name;
      try {
        baseScenario = ScenarioLoader.parse(scenarioName, yaml(baseTree));
      } catch (ScenarioException e) {
        if (!e.file().equals(name)) {
          throw e;
        }
        String key = e.key() == null || e.key().isEmpty() ? "scenario" : "scenario." + e.key();
        throw error(key, e.problem());
      }
    }

    long seed = root.has("seed") ? integer(root.get("seed"), "seed", Long.MIN_VALUE) : 1L;
    int replicas = root.has("replicas") ? (int) Math.min(integer(root.get("replicas"), "replicas", 1), MAX_RUNS + 1L) : 1;
    Long duration = root.has("duration") ? duration(root.get("duration"), "duration") : null;
    Long warmup = root.has("warmup") ? duration(root.get("warmup"), "warmup") : null;
    if (duration != null && duration <= 0) {
      throw error("duration", "duration must be positive");
    }
    List<String> metrics = metrics();

    // Parameters: one axis per list or range, one per sampled set.
    List<Axis> axes = new ArrayList<>();
    List<SweepParameter> described = new ArrayList<>();
    Map<String, String> pathKeys = new LinkedHashMap<>();
    JsonNode params = root.get("parameters");
    if (params != null && !params.isNull()) {
      if (!params.isArray()) {
        throw error("parameters", "parameters must be a list of {path: ..., values: [...]} entries");
      }
      for (int i = 0; i < params.size(); i++) {
        parameter(params.get(i), "parameters[" + i + "]", seed, axes, described, baseTree, baseScenario, pathKeys);
      }
    }

    long points = 1;
    for (Axis a : axes) {
      points = Math.min(points * a.points().size(), MAX_RUNS + 1L);
    }
    if (points * replicas > MAX_RUNS) {
      throw error(axes.isEmpty() ? "replicas" : "parameters",
          "the sweep has more than " + MAX_RUNS + " runs (" + (points > MAX_RUNS ? "over " + MAX_RUNS : points)
              + " points x " + replicas + " replicas); use fewer values or samples");
    }

    // Expansion: an odometer over the axes, the first axis slowest.
    List<RunRequest> runs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int duplicates = 0;
    int[] ix = new int[axes.size()];
    for (long p = 0; p < points; p++) {
      List<Assignment> point = new ArrayList<>();
      for (int a = 0; a < axes.size(); a++) {
        point.addAll(axes.get(a).points().get(ix[a]));
      }
      Scenario s = resolve(scenarioName, baseTree, baseScenario, point, duration, warmup);
      Map<String, String> values = new LinkedHashMap<>();
      point.forEach(as -> values.put(as.path().text(), as.text()));
      Map<String, String> frozen = Collections.unmodifiableMap(values);
      for (int r = 0; r < replicas; r++) {
        long runSeed = seed + r;
        Scenario withSeed = s.withSeed(runSeed);
        String id = RunIds.of(withSeed, runSeed);
        if (seen.add(id)) {
          runs.add(new RunRequest(id, withSeed, runSeed, frozen, 1));
        } else {
          duplicates++;
        }
      }
      for (int a = axes.size() - 1; a >= 0; a--) {
        if (++ix[a] < axes.get(a).points().size()) {
          break;
        }
        ix[a] = 0;
      }
    }
    return new SweepPlan(file, sweepName, description, basePath, baseScenario, seed, replicas, duration,
        described, (int) points, metrics, runs, duplicates);
  }

  private String defaultName() {
    String f = file.getFileName().toString();
    int dot = f.lastIndexOf('.');
    return dot > 0 ? f.substring(0, dot) : f;
  }

  private long duration(JsonNode n, String key) throws ScenarioException {
    String t = text(n, key);
    try {
      return Nanos.parse(t);
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
  }

  private List<String> metrics() throws ScenarioException {
    JsonNode m = root.get("metrics");
    if (m == null || m.isNull()) {
      return SummaryFields.LEAVES;
    }
    if (!m.isArray() || m.isEmpty()) {
      throw error("metrics", "metrics must be a non-empty list of summary fields such as threads.peak"
          + " (leave it out for all of them)");
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < m.size(); i++) {
      String key = "metrics[" + i + "]";
      String f = text(m.get(i), key);
      if (!SummaryFields.valid(f)) {
        String hint = ScenarioLoader.nearest(f, SummaryFields.names());
        throw error(key, "unknown summary field '" + f + "'" + (hint == null ? "" : " (did you mean '" + hint + "'?)")
            + "; fields: " + String.join(", ", SummaryFields.LEAVES) + ", " + String.join(", ", SummaryFields.MAPS) + ".*");
      }
      if (SummaryFields.LEAVES.contains(f) || SummaryFields.MAPS.contains(f) || f.contains(".")) {
        out.add(f);
      } else {
        // A group such as threads: its fields.
        SummaryFields.LEAVES.stream().filter(l -> l.startsWith(f + ".")).forEach(out::add);
      }
    }
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------------------------------------

  private void parameter(
      JsonNode p, String key, long seed, List<Axis> axes, List<SweepParameter> described,
      ObjectNode baseTree, Scenario baseScenario, Map<String, String> pathKeys) throws ScenarioException {
    object(p, key, "a parameter");
    int axis = axes.size();
    if (p.has("latin-hypercube") || (p.has("random") && !p.has("path"))) {
      String kind = p.has("latin-hypercube") ? "latin-hypercube" : "random";
      checkKeys(p, key, List.of(kind), "a " + kind + " set (it holds count: and parameters:)");
      String bk = key + "." + kind;
      JsonNode block = object(p.get(kind), bk, kind);
      checkKeys(block, bk, BLOCK, kind);
      int count = count(block, bk);
      JsonNode ps = block.get("parameters");
      if (ps == null || !ps.isArray() || ps.isEmpty()) {
        throw error(child(bk, "parameters"), kind + " needs parameters: [{path: ..., from: ..., to: ...}, ...]");
      }
      List<ScenarioPath> paths = new ArrayList<>();
      List<Bounds> bounds = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      for (int j = 0; j < ps.size(); j++) {
        String pk = child(bk, "parameters[" + j + "]");
        JsonNode q = object(ps.get(j), pk, "a sampled parameter");
        checkKeys(q, pk, BLOCK_PARAM, "a sampled parameter");
        paths.add(path(q, pk, pathKeys));
        bounds.add(bounds(q, pk, template(q, pk)));
        keys.add(pk);
      }
      SplitMix64 rng = new SplitMix64(RunIds.hashLong("gmpsim-sweep/" + seed + "/" + key));
      double[][] u = new double[ps.size()][count];
      for (int j = 0; j < ps.size(); j++) {
        if (kind.equals("latin-hypercube")) {
          int[] perm = new int[count];
          for (int i = 0; i < count; i++) {
            perm[i] = i;
          }
          for (int i = count - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[k];
            perm[k] = t;
          }
          for (int i = 0; i < count; i++) {
            u[j][i] = (perm[i] + rng.nextDouble()) / count;
          }
        } else {
          for (int i = 0; i < count; i++) {
            u[j][i] = rng.nextDouble();
          }
        }
      }
      List<List<Assignment>> points = new ArrayList<>();
      List<List<String>> texts = new ArrayList<>();
      for (int j = 0; j < ps.size(); j++) {
        texts.add(new ArrayList<>());
      }
      for (int i = 0; i < count; i++) {
        List<Assignment> point = new ArrayList<>();
        for (int j = 0; j < ps.size(); j++) {
          double x = bounds.get(j).at(u[j][i]);
          String t = bounds.get(j).text(x);
          point.add(new Assignment(paths.get(j), bounds.get(j).node(x), t, keys.get(j)));
          texts.get(j).add(t);
        }
        points.add(point);
      }
      for (int j = 0; j < ps.size(); j++) {
        checkPath(points.get(0).get(j), baseTree, baseScenario);
        Bounds b = bounds.get(j);
        described.add(new SweepParameter(paths.get(j).text(), kind,
            kind + " " + b.span() + ", " + count + " samples, " + b.scale(), texts.get(j), axis, keys.get(j)));
      }
      axes.add(new Axis(points));
      return;
    }

    checkKeys(p, key, PARAM, "a parameter");
    if (!p.has("path")) {
      throw error(key, "a parameter needs path: (where it goes in the scenario, e.g. runtime.gomaxprocs),"
          + " or is a latin-hypercube: or random: set");
    }
    ScenarioPath path = path(p, key, pathKeys);
    String template = template(p, key);
    List<String> kinds = new ArrayList<>();
    for (String k : List.of("values", "range", "random")) {
      if (p.has(k)) {
        kinds.add(k);
      }
    }
    if (kinds.size() != 1) {
      throw error(kinds.isEmpty() ? key + ".path" : key + "." + kinds.get(1),
          "parameter " + path + " needs exactly one of values:, range: and random:"
              + (kinds.isEmpty() ? "" : " (found " + String.join(" and ", kinds) + ")"));
    }
    String kind = kinds.get(0);
    String vk = key + "." + kind;
    List<Assignment> values = new ArrayList<>();
    String spec;
    switch (kind) {
      case "values" -> {
        JsonNode vs = p.get("values");
        if (!vs.isArray() || vs.isEmpty()) {
          throw error(vk, "values must be a non-empty list, such as [1, 2, 4]");
        }
        for (int i = 0; i < vs.size(); i++) {
          JsonNode v = vs.get(i);
          String ik = vk + "[" + i + "]";
          if (template != null) {
            if (!v.isValueNode() || v.isNull()) {
              throw error(ik, "with a template, values must be single values, got " + describe(v));
            }
            v = TextNode.valueOf(template.replace("{}", v.asText()));
          }
          values.add(new Assignment(path, v, v.isValueNode() ? v.asText() : v.toString(), ik));
        }
        List<String> shown = new ArrayList<>();
        values.forEach(a -> shown.add(a.text()));
        spec = "values " + String.join(", ", shown);
      }
      case "range" -> {
        JsonNode r = object(p.get("range"), vk, "range");
        checkKeys(r, vk, RANGE, "a range");
        Bounds b = bounds(r, vk, template);
        List<Double> xs = rangeValues(r, vk, b);
        for (double x : xs) {
          values.add(new Assignment(path, b.node(x), b.text(x), vk));
        }
        spec = "range " + b.span() + ", " + xs.size() + " steps, " + b.scale();
      }
      default -> {
        JsonNode r = object(p.get("random"), vk, "random");
        checkKeys(r, vk, RANDOM, "random");
        Bounds b = bounds(r, vk, template);
        int count = count(r, vk);
        SplitMix64 rng = new SplitMix64(RunIds.hashLong("gmpsim-sweep/" + seed + "/" + key));
        for (int i = 0; i < count; i++) {
          double x = b.at(rng.nextDouble());
          values.add(new Assignment(path, b.node(x), b.text(x), vk));
        }
        spec = "random " + b.span() + ", " + count + " samples, " + b.scale();
      }
    }
    checkPath(values.get(0), baseTree, baseScenario);
    List<String> texts = new ArrayList<>();
    List<List<Assignment>> points = new ArrayList<>();
    for (Assignment a : values) {
      texts.add(a.text());
      points.add(List.of(a));
    }
    described.add(new SweepParameter(path.text(), kind, spec, texts, axis, key));
    axes.add(new Axis(points));
  }

  private ScenarioPath path(JsonNode p, String key, Map<String, String> pathKeys) throws ScenarioException {
    String pk = key + ".path";
    String t = text(p.get("path"), pk);
    ScenarioPath path;
    try {
      path = ScenarioPath.parse(t.trim());
    } catch (ScenarioPath.PathException e) {
      throw error(pk, e.getMessage());
    }
    String earlier = pathKeys.putIfAbsent(path.text(), key);
    if (earlier != null) {
      throw error(pk, path.text() + " is already swept by " + earlier);
    }
    return path;
  }

  private String template(JsonNode p, String key) throws ScenarioException {
    if (!p.has("template")) {
      return null;
    }
    String t = text(p.get("template"), key + ".template");
    if (!t.contains("{}")) {
      throw error(key + ".template", "a template needs {} where the value goes, such as exp({})");
    }
    return t;
  }

  private int count(JsonNode block, String key) throws ScenarioException {
    if (!block.has("count")) {
      throw error(key, "needs count: (how many samples)");
    }
    long c = integer(block.get("count"), key + ".count", Long.MIN_VALUE);
    if (c < 1) {
      throw error(key + ".count", "count must be at least 1, got " + c + " (no samples, no runs)");
    }
    if (c > MAX_VALUES) {
      throw error(key + ".count", "count " + c + " is more than " + MAX_VALUES);
    }
    return (int) c;
  }

  private Bounds bounds(JsonNode r, String key, String template) throws ScenarioException {
    Quantity from = quantity(r, key, "from");
    Quantity to = quantity(r, key, "to");
    if (from.kind() != to.kind()) {
      throw error(key + ".to", "from is " + from.kind().word() + " but to is " + to.kind().word());
    }
    boolean log = false;
    if (r.has("scale")) {
      String s = text(r.get("scale"), key + ".scale");
      if (!s.equals("linear") && !s.equals("log")) {
        throw error(key + ".scale", "scale must be linear or log, got '" + s + "'");
      }
      log = s.equals("log");
    }
    if (from.value() > to.value()) {
      throw error(key + ".from", "empty range: from " + from.text() + " is above to " + to.text());
    }
    if (log && from.value() <= 0) {
      throw error(key + ".from", "a log scale needs from > 0, got " + from.text());
    }
    return new Bounds(from, to, log, template);
  }

  private Quantity quantity(JsonNode r, String key, String which) throws ScenarioException {
    if (!r.has(which)) {
      throw error(key, "needs " + which + ":");
    }
    try {
      return Quantity.parse(r.get(which));
    } catch (IllegalArgumentException e) {
      throw error(key + "." + which, e.getMessage());
    }
  }

  private List<Double> rangeValues(JsonNode r, String key, Bounds b) throws ScenarioException {
    double f = b.from().value();
    double t = b.to().value();
    List<Double> out = new ArrayList<>();
    if (r.has("steps") == r.has("step")) {
      throw error(key, "a range needs one of steps: (how many values, ends included) and step: (the increment;"
          + " for a log scale, the factor)");
    }
    if (r.has("steps")) {
      long n = integer(r.get("steps"), key + ".steps", Long.MIN_VALUE);
      if (n < 1) {
        throw error(key + ".steps", "empty range: steps must be at least 1, got " + n);
      }
      if (n > MAX_VALUES) {
        throw error(key + ".steps", "steps " + n + " is more than " + MAX_VALUES);
      }
      if (n == 1) {
        if (f != t) {
          throw error(key + ".steps", "one step cannot go from " + b.from().text() + " to " + b.to().text()
              + "; use steps: 2 or more, or values: [" + b.from().text() + "]");
        }
        out.add(f);
        return out;
      }
      for (long i = 0; i < n; i++) {
        out.add(b.at((double) i / (n - 1)));
      }
      return out;
    }
    String sk = key + ".step";
    Quantity step;
    try {
      step = Quantity.parse(r.get("step"));
    } catch (IllegalArgumentException e) {
      throw error(sk, e.getMessage());
    }
    if (b.log()) {
      if (step.kind() != Quantity.Kind.NUMBER || step.value() <= 1) {
        throw error(sk, "on a log scale, step is the factor between values, a number above 1 (such as 2)");
      }
      for (double v = f; v <= t * (1 + 1e-9); v *= step.value()) {
        out.add(v);
        if (out.size() > MAX_VALUES) {
          throw error(sk, "the range has more than " + MAX_VALUES + " values");
        }
      }
    } else {
      if (step.kind() != b.from().kind()) {
        throw error(sk, "step must be " + b.from().kind().word() + " like from and to");
      }
      if (step.value() <= 0) {
        throw error(sk, "empty range: step must be positive");
      }
      for (long i = 0; ; i++) {
        double v = f + i * step.value();
        if (v > t + Math.abs(step.value()) * 1e-9) {
          break;
        }
        out.add(v);
        if (out.size() > MAX_VALUES) {
          throw error(sk, "the range has more than " + MAX_VALUES + " values");
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  private static Set<String> extraKeys(Scenario base, String mapPath) {
    return switch (mapPath) {
      case "semaphores" -> base.semaphores().keySet();
      case "steps" -> base.steps().keySet();
      default -> Set.of();
    };
  }

  /** Checks a parameter's path against the base (unknown keys, indices out of range). */
  private void checkPath(Assignment a, ObjectNode baseTree, Scenario baseScenario) throws ScenarioException {
    try {
      a.path().set(baseTree.deepCopy(), a.value(), k -> extraKeys(baseScenario, k));
    } catch (ScenarioPath.PathException e) {
      String key = a.key().replaceAll("\\.(values|range|random)(\\[\\d+\\])?$", "") + ".path";
      throw error(key, a.path().text() + ": " + e.getMessage());
    }
  }

  /** The base with the overrides and one point's values applied, bound and checked. */
  private Scenario resolve(
      String scenarioName, ObjectNode baseTree, Scenario baseScenario, List<Assignment> point,
      Long duration, Long warmup) throws ScenarioException {
    ObjectNode tree = baseTree.deepCopy();
    if (duration != null) {
      tree.put("duration", root.get("duration").asText());
    }
    if (warmup != null) {
      tree.put("warmup", root.get("warmup").asText());
    }
    for (Assignment a : point) {
      try {
        a.path().set(tree, a.value(), k -> extraKeys(baseScenario, k));
      } catch (ScenarioPath.PathException e) {
        throw error(a.key(), a.path().text() + " = " + a.text() + ": " + e.getMessage());
      }
    }
    try {
      return ScenarioLoader.parse(scenarioName, yaml(tree));
    } catch (ScenarioException e) {
      throw blame(e, point, duration, warmup);
    }
  }

  /** Points a binding error at the parameter (or override) that caused it. */
  private ScenarioException blame(ScenarioException e, List<Assignment> point, Long duration, Long warmup) {
    String at = e.key() == null ? "" : e.key();
    Assignment best = null;
    int bestLen = -1;
    for (Assignment a : point) {
      String p = a.path().text();
      int len = -1;
      if (at.equals(p) || at.startsWith(p + ".") || at.startsWith(p + "[")) {
        len = p.length();
      } else if (!at.isEmpty() && (p.startsWith(at + ".") || p.startsWith(at + "["))) {
        len = at.length();
      }
      if (len > bestLen) {
        best = a;
        bestLen = len;
      }
    }
    String where = at.isEmpty() || (best != null && at.equals(best.path().text())) ? "" : " (at " + at + ")";
    if (best != null) {
      return error(best.key(), best.path().text() + " = " + best.text() + " makes the scenario invalid: "
          + e.problem() + where);
    }
    if ((at.equals("duration") || at.equals("warmup")) && (duration != null || warmup != null)) {
      String key = warmup != null ? "warmup" : "duration";
      return error(key, "with the sweep's " + (duration != null ? "duration " + Nanos.format(duration) : "")
          + (duration != null && warmup != null ? " and " : "")
          + (warmup != null ? "warmup " + Nanos.format(warmup) : "")
          + " the scenario is invalid: " + at + ": " + e.problem()
          + (warmup == null ? " (set warmup: in the sweep too)" : ""));
    }
    List<String> values = new ArrayList<>();
    point.forEach(a -> values.add(a.path().text() + " = " + a.text()));
    return error("parameters", "the point {" + String.join(", ", values) + "} makes the scenario invalid: "
        + (at.isEmpty() ? "" : at + ": ") + e.problem());
  }

  private static String yaml(JsonNode tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
