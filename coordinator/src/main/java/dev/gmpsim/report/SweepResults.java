package dev.gmpsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A sweep's output folder as the report reads it: sweep.json (name, status, runs, parameters,
 * metrics) and the rows of results.jsonl (or of results.csv when there is no results.jsonl).
 * The one reader of the report page, {@code gmpsim report} and {@code gmpsim serve}: it can be
 * refreshed, and then reads only what was appended to results.jsonl since (a sweep rewrites the
 * file only when it is resumed, which is noticed and read again from the start).
 */
public final class SweepResults {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a run's outcome means for the report. */
  public enum Kind {
    /** Finished as simulated. */
    OK,
    /** The simulated program died or deadlocked ("fatal: ...", "deadlock"): a prediction, with a summary. */
    FATAL,
    /** The run gave no result ("error: ...", "timeout"), as the sweep counts failures. */
    FAILED,
    /** A limit of the simulator or a broken invariant ended the run ("limit: ...", "invariant-violated"). */
    OTHER;

    public static Kind of(String outcome) {
      if (outcome.equals("ok")) {
        return OK;
      }
      if (outcome.startsWith("fatal") || outcome.startsWith("deadlock")) {
        return FATAL;
      }
      if (outcome.startsWith("error") || outcome.equals("timeout")) {
        return FAILED;
      }
      return OTHER;
    }

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One run's row: metrics are numbers, or null where the run has none. */
  public record Row(String id, Map<String, String> parameters, Long seed, String outcome, String node, Long wallMs,
      Integer attempt, Map<String, Double> metrics) {
    public Kind kind() {
      return Kind.of(outcome);
    }
  }

  /** The folder holds no sweep results the report can read; the message is for the user. */
  public static final class NotResults extends Exception {
    public NotResults(String message) {
      super(message);
    }
  }

  private final Path dir;
  private String name;
  private String file;
  private String status;
  private int total;
  private List<String> parameters = List.of();
  private List<String> metrics = List.of();
  private final List<Row> rows = new ArrayList<>();
  private boolean fromCsv;
  // Where reading results.jsonl stopped, and which file that was (a resume replaces it).
  private long offset;
  private Object fileKey;
  private int generation;

  private SweepResults(Path dir) {
    this.dir = dir;
  }

  /**
   * Reads {@code dir}. With {@code needRows} a folder that holds a sweep but no result yet is
   * refused too (a report of nothing); without it (serving a sweep that just started) it is read.
   */
  public static SweepResults read(Path dir, boolean needRows) throws NotResults {
    if (!Files.exists(dir)) {
      throw new NotResults(dir + ": no such folder");
    }
    if (!Files.isDirectory(dir)) {
      throw new NotResults(dir + ": not a folder (give the --out folder of a sweep)");
    }
    boolean any = Files.exists(dir.resolve("sweep.json")) || Files.exists(dir.resolve("results.jsonl"))
        || Files.exists(dir.resolve("results.csv"));
    if (!any) {
      throw new NotResults(dir + ": holds no sweep (no sweep.json, results.jsonl or results.csv)");
    }
    SweepResults r = new SweepResults(dir);
    try {
      r.refresh();
    } catch (UncheckedIOException e) {
      throw new NotResults(dir + ": cannot read the results (" + e.getCause().getMessage() + ")");
    }
    if (needRows && r.rows.isEmpty()) {
      throw new NotResults(dir + ": holds no results yet (results.jsonl has no complete row)");
    }
    return r;
  }

  /** Reads what changed since the last read: sweep.json again, and the rows appended since. */
  public synchronized SweepResults refresh() {
    try {
      readManifest();
      Path jl = dir.resolve("results.jsonl");
      if (Files.exists(jl)) {
        fromCsv = false;
        readJsonl(jl);
      } else if (Files.exists(dir.resolve("results.csv"))) {
        fromCsv = true;
        rows.clear();
        readCsv(dir.resolve("results.csv"));
      }
      if (total < rows.size()) {
        total = rows.size();
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readManifest() throws IOException {
    Path m = dir.resolve("sweep.json");
    String fallback = dir.toAbsolutePath().normalize().getFileName() == null ? "sweep"
        : dir.toAbsolutePath().normalize().getFileName().toString();
    if (!Files.exists(m)) {
      name = name == null ? fallback : name;
      status = "unknown";
      return;
    }
    JsonNode n;
    try {
      n = JSON.readTree(m.toFile());
    } catch (IOException e) {
      // Being replaced right now (it is written whole and moved into place), or damaged: keep what we had.
      if (name == null) {
        name = fallback;
        status = "unknown";
      }
      return;
    }
    name = n.path("name").asText(fallback);
    file = n.hasNonNull("file") ? n.get("file").asText() : null;
    status = n.path("status").asText("unknown");
    total = n.path("runs").asInt(0);
    if (n.path("parameters").isArray()) {
      parameters = strings(n.get("parameters"));
    }
    if (n.path("metrics").isArray()) {
      metrics = strings(n.get("metrics"));
    }
  }

  private void readJsonl(Path jl) throws IOException {
    Object key = Files.readAttributes(jl, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    long size = Files.size(jl);
    if (!Objects.equals(key, fileKey) || size < offset) {
      // Another file (a resume rewrote it) or a shorter one: read it again from the start.
      fileKey = key;
      offset = 0;
      if (!rows.isEmpty()) {
        generation++;
      }
      rows.clear();
    }
    if (size == offset) {
      return;
    }
    byte[] fresh;
    try (InputStream in = Files.newInputStream(jl)) {
      in.skipNBytes(offset);
      fresh = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, size - offset));
    }
    int start = 0;
    Set<String> paramsSeen = new LinkedHashSet<>(parameters);
    for (int i = 0; i < fresh.length; i++) {
      if (fresh[i] != '\n') {
        continue;
      }
      // Only whole lines: the one being written stays for the next read.
      String line = new String(fresh, start, i - start, StandardCharsets.UTF_8);
      start = i + 1;
      Row r = jsonRow(line);
      if (r != null) {
        rows.add(r);
        paramsSeen.addAll(r.parameters().keySet());
      }
    }
    offset += start;
    if (paramsSeen.size() > parameters.size()) {
      parameters = List.copyOf(paramsSeen); // no sweep.json: the rows name them
    }
    if (metrics.isEmpty() && !rows.isEmpty()) {
      metrics = List.copyOf(rows.get(0).metrics().keySet());
    }
  }

  private static Row jsonRow(String line) {
    if (line.isBlank()) {
      return null;
    }
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      return null; // cut short by a crash: the sweep drops it too
    }
    if (!n.hasNonNull("id") || !n.hasNonNull("outcome")) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    n.path("parameters").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    Map<String, Double> m = new LinkedHashMap<>();
    n.path("metrics").fields().forEachRemaining(e -> m.put(e.getKey(), number(e.getValue())));
    return new Row(n.get("id").asText(), params, n.hasNonNull("seed") ? n.get("seed").asLong() : null,
        n.get("outcome").asText(), n.path("node").asText(""), n.hasNonNull("wallMs") ? n.get("wallMs").asLong() : null,
        n.hasNonNull("attempt") ? n.get("attempt").asInt() : null, m);
  }

  private static Double number(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? 1.0 : 0.0;
    }
    return parseDouble(v.asText());
  }

  private static Double parseDouble(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      double d = Double.parseDouble(s.trim());
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** results.csv: id, parameters..., seed, metrics..., outcome, node, wall_ms, attempt. */
  private void readCsv(Path csv) throws IOException {
    List<List<String>> table = Csv.parse(Files.readString(csv, StandardCharsets.UTF_8));
    if (table.isEmpty()) {
      return;
    }
    List<String> head = table.get(0);
    int seed = head.indexOf("seed");
    int outcome = head.lastIndexOf("outcome");
    if (head.isEmpty() || !head.get(0).equals("id") || seed < 0 || outcome < seed) {
      throw new IOException(csv + " does not start with the columns id, ..., seed, ..., outcome");
    }
    parameters = List.copyOf(head.subList(1, seed));
    metrics = List.copyOf(head.subList(seed + 1, outcome));
    for (List<String> cells : table.subList(1, table.size())) {
      if (cells.size() != head.size()) {
        continue; // a row cut short
      }
      Map<String, String> p = new LinkedHashMap<>();
      for (int i = 1; i < seed; i++) {
        p.put(head.get(i), cells.get(i));
      }
      Map<String, Double> m = new LinkedHashMap<>();
      for (int i = seed + 1; i < outcome; i++) {
        m.put(head.get(i), parseDouble(cells.get(i)));
      }
      Double s = parseDouble(cells.get(seed));
      Double wall = outcome + 2 < cells.size() ? parseDouble(cells.get(outcome + 2)) : null;
      Double att = outcome + 3 < cells.size() ? parseDouble(cells.get(outcome + 3)) : null;
      rows.add(new Row(cells.get(0), p, s == null ? null : s.longValue(), cells.get(outcome),
          outcome + 1 < cells.size() ? cells.get(outcome + 1) : "", wall == null ? null : wall.longValue(),
          att == null ? null : att.intValue(), m));
    }
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(e -> out.add(e.asText()));
    return List.copyOf(out);
  }

  public Path dir() {
    return dir;
  }

  public synchronized String name() {
    return name;
  }

  /** The sweep file, as sweep.json records it (null without one). */
  public synchronized String file() {
    return file;
  }

  /** running, interrupted, complete, or unknown (no sweep.json). */
  public synchronized String status() {
    return status;
  }

  /** Runs in the sweep (at least the rows read). */
  public synchronized int total() {
    return total;
  }

  public synchronized List<String> parameters() {
    return parameters;
  }

  public synchronized List<String> metrics() {
    return metrics;
  }

  public synchronized List<Row> rows() {
    return Collections.unmodifiableList(new ArrayList<>(rows));
  }

  /** Bumped each time results.jsonl had to be read again from the start (row indices changed). */
  public synchronized int generation() {
    return generation;
  }

  public synchronized boolean fromCsv() {
    return fromCsv;
  }

  /** Not every run of a finished sweep is here: still running, interrupted, or results missing. */
  public synchronized boolean partial() {
    return !"complete".equals(status) || rows.size() < total;
  }

}
