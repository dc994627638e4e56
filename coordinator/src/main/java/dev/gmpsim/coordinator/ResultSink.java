package dev.gmpsim.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmpsim.protocol.sweep.RunDone;
import dev.gmpsim.protocol.sweep.RunRequest;
import dev.gmpsim.sweep.SummaryFields;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A sweep's output folder: results.jsonl and results.csv get one row per run as results arrive
 * (each id once, flushed at once), and sweep.json says what the sweep is (with a hash of its
 * runs) and whether it is running, interrupted or complete. Opening a folder that already holds a
 * sweep fails unless resuming the same sweep, which keeps the results already there.
 */
public final class ResultSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Columns every row has; a metric of the same name would repeat them. */
  private static final Set<String> FIXED = Set.of("id", "seed", "outcome", "node", "wall_ms", "attempt");
  private static final long MANIFEST_EVERY_NS = 1_000_000_000L;

  /**
   * What is written into the folder.
   *
   * @param planHash {@link #planHash} of the sweep's run ids, or null (not checked on resume)
   * @param runIds the sweep's run ids, or null (not checked on resume)
   * @param metrics summary fields to report; empty for every fixed field
   */
  public record Sweep(String name, String file, int total, String planHash, Set<String> runIds,
      List<String> parameters, List<String> metrics) {
    public Sweep {
      parameters = List.copyOf(parameters);
      metrics = columns(metrics);
    }
  }

  /** How to open the folder. */
  public enum Mode {
    /** The folder must not hold a sweep. */
    NEW,
    /** Keep the results there, except runs that failed (error, timeout): they are done again. */
    RESUME,
    /** Keep every result there, failed ones too. */
    RESUME_KEEP_FAILED;

    boolean resume() {
      return this != NEW;
    }
  }

  private final Path dir;
  private final Sweep sweep;
  private final Set<String> written = new HashSet<>();
  private final BufferedWriter jsonl;
  private final BufferedWriter csv;
  private final String started;
  private int retrying;
  private RunKeeper keeper;
  private boolean closed;
  private long manifestAt;

  /** Thrown when the folder cannot be used; the message is for the user. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  private ResultSink(Path dir, Sweep sweep, Mode mode) throws IOException {
    this.dir = dir;
    this.sweep = sweep;
    this.started = Instant.now().toString();
    Files.createDirectories(dir);
    Path jl = dir.resolve("results.jsonl");
    Path cs = dir.resolve("results.csv");
    // Both files are rewritten from the JSON lines kept: a row cut short by a crash is gone from
    // both, and the CSV gets back a row whose JSON line made it but whose CSV line did not.
    Path jlTmp = dir.resolve(".results.jsonl.tmp");
    Path csTmp = dir.resolve(".results.csv.tmp");
    try (BufferedWriter j = Files.newBufferedWriter(jlTmp, StandardCharsets.UTF_8);
        BufferedWriter c = Files.newBufferedWriter(csTmp, StandardCharsets.UTF_8)) {
      c.write(String.join(",", header()));
      c.newLine();
      if (mode.resume() && Files.exists(jl)) {
        keepExisting(jl, mode, j, c);
      }
    }
    Files.move(jlTmp, jl, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(csTmp, cs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    this.jsonl = Files.newBufferedWriter(jl, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    this.csv = Files.newBufferedWriter(cs, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    manifest("running");
  }

  /** The old form, for callers without a plan: nothing is checked on resume but the folder. */
  public static ResultSink open(Path dir, String name, String file, int total, List<String> parameters,
      List<String> metrics, boolean resume) throws Refused {
    return open(dir, new Sweep(name, file, total, null, null, parameters, metrics), resume ? Mode.RESUME : Mode.NEW);
  }

  /**
   * Opens {@code dir} for a sweep. Without resuming the folder must not hold a sweep already
   * (nothing is overwritten); resuming, it must hold this sweep ({@link #check}).
   */
  public static ResultSink open(Path dir, Sweep sweep, Mode mode) throws Refused {
    check(dir, sweep, mode);
    try {
      return new ResultSink(dir, sweep, mode);
    } catch (IOException e) {
      throw new Refused(dir + ": cannot write there (" + e.getMessage() + ")");
    }
  }

  /**
   * Whether {@link #open} would accept {@code dir}, without creating or changing anything: it is
   * or can be made a folder we can write, it holds no sweep (new) or this one (resume: the same
   * plan hash, parameters and metrics in sweep.json, and no result of a run outside the plan).
   */
  public static void check(Path dir, Sweep sweep, Mode mode) throws Refused {
    if (dir.toString().isBlank()) {
      throw new Refused("--out: the folder name is empty");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new Refused(dir + ": --out must be a folder, and this is a file");
    }
    writable(dir);
    Path manifest = dir.resolve("sweep.json");
    Path jl = dir.resolve("results.jsonl");
    Path cs = dir.resolve("results.csv");
    boolean hasSweep = Files.exists(manifest) || Files.exists(jl) || Files.exists(cs);
    if (hasSweep && !mode.resume()) {
      throw new Refused(dir + " already holds a sweep; use --resume to continue it, or another --out");
    }
    if (!hasSweep && mode.resume()) {
      throw new Refused(dir + " holds no sweep to resume");
    }
    if (!hasSweep) {
      return;
    }
    if (!Files.exists(jl) && Files.exists(cs)) {
      // Resume reads results.jsonl and rebuilds results.csv from it: it would empty this CSV.
      throw new Refused(dir + " holds results.csv but no results.jsonl, which --resume continues from; "
          + "move results.csv away to start the sweep again");
    }
    boolean hashChecked = false;
    if (Files.exists(manifest)) {
      JsonNode m;
      try {
        m = JSON.readTree(manifest.toFile());
      } catch (IOException e) {
        throw new Refused(manifest + ": not a sweep manifest (" + firstLine(e.getMessage()) + ")");
      }
      String theirs = m.path("name").asText("?") + " from " + m.path("file").asText("?");
      if (sweep.planHash() != null && m.hasNonNull("planHash") && !m.get("planHash").asText().equals(sweep.planHash())) {
        throw new Refused(dir + " holds another sweep (" + theirs + ", " + m.path("runs").asInt() + " runs): its runs "
            + "differ from this sweep's (" + sweep.total() + " runs); resume only the same sweep, or use another --out");
      }
      if (sweep.planHash() != null && m.hasNonNull("planHash")) {
        hashChecked = true;
        List<String> params = strings(m.get("parameters"));
        List<String> metrics = strings(m.get("metrics"));
        if (params != null && !params.equals(sweep.parameters())) {
          throw new Refused(dir + " holds another sweep (" + theirs + "): its parameters " + params
              + " differ from this sweep's " + sweep.parameters() + "; resume only the same sweep, or use another --out");
        }
        if (metrics != null && !metrics.equals(sweep.metrics())) {
          throw new Refused(dir + " holds another sweep (" + theirs + "): its metrics " + abbreviate(metrics)
              + " differ from this sweep's " + abbreviate(sweep.metrics())
              + "; resume only the same sweep, or use another --out");
        }
      }
    }
    if (sweep.runIds() != null && !hashChecked && Files.exists(jl)) {
      // No hash to compare (a folder of an older gmpsim, or no sweep.json): check the ids.
      try (BufferedReader r = reader(jl)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          ObjectNode row = row(line);
          if (row != null && !sweep.runIds().contains(row.get("id").asText())) {
            throw new Refused(jl + " holds runs of another sweep (run " + row.get("id").asText()
                + " is not one of this sweep's " + sweep.total() + "); resume only the same sweep, or use another --out");
          }
        }
      } catch (IOException e) {
        throw new Refused(jl + ": cannot read it (" + firstLine(e.getMessage()) + ")");
      }
    }
  }

  /** The hash sweep.json records: SHA-256 of the sorted run ids (each a hash of its resolved scenario and seed). */
  public static String planHash(List<RunRequest> runs) {
    List<String> ids = new ArrayList<>();
    runs.forEach(r -> ids.add(r.runId()));
    ids.sort(null);
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(String.join("\n", ids).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writable(Path dir) throws Refused {
    Path p = dir.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null) {
      throw new Refused(dir + ": cannot create this folder");
    }
    if (!Files.isDirectory(p)) {
      throw new Refused(dir + ": cannot create this folder, " + p + " is a file");
    }
    if (!Files.isWritable(p)) {
      throw new Refused(dir + ": cannot write there (" + p + " is not writable)");
    }
  }

  private void keepExisting(Path jl, Mode mode, BufferedWriter j, BufferedWriter c) throws IOException {
    try (BufferedReader r = reader(jl)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        ObjectNode row = row(line);
        if (row == null) {
          continue; // a line cut short by a crash: the run is done again
        }
        if (mode == Mode.RESUME && failed(row.get("outcome").asText())) {
          retrying++;
          continue;
        }
        if (written.add(row.get("id").asText())) {
          j.write(line); // as it was, byte for byte
          j.newLine();
          c.write(String.join(",", csvCells(row)));
          c.newLine();
        }
      }
    }
  }

  /** A result row, or null for a line that is not one (cut short, blank). */
  private static ObjectNode row(String line) {
    if (line.isBlank()) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(line);
      if (n instanceof ObjectNode o && o.hasNonNull("id") && o.hasNonNull("outcome")) {
        return o;
      }
    } catch (IOException e) {
      // not JSON
    }
    return null;
  }

  /** Malformed UTF-8 (a line cut inside a character) becomes U+FFFD rather than an error. */
  private static BufferedReader reader(Path f) throws IOException {
    return new BufferedReader(new InputStreamReader(Files.newInputStream(f), StandardCharsets.UTF_8));
  }

  /** Outcomes the coordinator retries: the run did not finish, as opposed to a simulated fatal error. */
  static boolean failed(String outcome) {
    return outcome.startsWith("error") || outcome.equals("timeout");
  }

  public boolean hasResult(String runId) {
    return written.contains(runId);
  }

  public int resultsWritten() {
    return written.size();
  }

  /** Results that failed and were dropped on resume, to be done again. */
  public int retrying() {
    return retrying;
  }

  public List<String> header() {
    List<String> h = new ArrayList<>();
    h.add("id");
    h.addAll(sweep.parameters());
    h.add("seed");
    h.addAll(sweep.metrics());
    h.add("outcome");
    h.add("node");
    h.add("wall_ms");
    h.add("attempt");
    return h;
  }

  /** Writes a kept run's files ({@code sweep --keep-runs}); called before its row is written. */
  @FunctionalInterface
  public interface RunKeeper {
    void keep(String runId, dev.gmpsim.protocol.result.RunResult files) throws IOException;
  }

  /** Results that come with their files ({@link RunDone#files()}) have them written by {@code k}. */
  public synchronized void keepRunsWith(RunKeeper k) {
    this.keeper = k;
  }

  /** Records one run's result, once. */
  public synchronized void write(RunRequest request, RunDone done) {
    if (closed || !written.add(request.runId())) {
      return;
    }
    if (keeper != null && done.files() != null) {
      // Before the row: a row in results.jsonl means the run's folder is complete.
      try {
        keeper.keep(request.runId(), done.files());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    JsonNode summary = done.summary() == null ? null : JSON.valueToTree(done.summary());
    ObjectNode row = JSON.createObjectNode();
    row.put("id", request.runId());
    ObjectNode params = row.putObject("parameters");
    request.parameters().forEach(params::put);
    row.put("seed", request.seed());
    row.put("outcome", done.outcome());
    row.put("node", done.node());
    row.put("wallMs", done.wallNs() / 1_000_000);
    row.put("attempt", done.attempt());
    ObjectNode m = row.putObject("metrics");
    for (String metric : sweep.metrics()) {
      JsonNode v = summary == null ? null : summary.at("/" + metric.replace('.', '/'));
      if (v == null || v.isMissingNode() || v.isNull()) {
        m.putNull(metric);
      } else {
        m.set(metric, v);
      }
    }
    if (summary != null) {
      row.set("summary", summary);
    }
    try {
      jsonl.write(JSON.writeValueAsString(row));
      jsonl.newLine();
      jsonl.flush();
      csv.write(String.join(",", csvCells(row)));
      csv.newLine();
      csv.flush();
      if (System.nanoTime() - manifestAt > MANIFEST_EVERY_NS) {
        manifest("running"); // keeps the counts near the truth even after a SIGKILL
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A result's CSV cells, from its JSON row (so a resumed folder's CSV is rebuilt the same). */
  private List<String> csvCells(ObjectNode row) {
    List<String> cells = new ArrayList<>();
    cells.add(csv(row.get("id").asText()));
    JsonNode params = row.path("parameters");
    for (String p : sweep.parameters()) {
      cells.add(csv(params.path(p).asText("")));
    }
    cells.add(csv(row.path("seed").asText("")));
    JsonNode metrics = row.path("metrics");
    for (String metric : sweep.metrics()) {
      JsonNode v = metrics.get(metric);
      cells.add(v == null || v.isNull() ? "" : csv(v.asText()));
    }
    cells.add(csv(row.get("outcome").asText()));
    cells.add(csv(row.path("node").asText("")));
    cells.add(csv(row.path("wallMs").asText("")));
    cells.add(csv(row.path("attempt").asText("")));
    return cells;
  }

  /** All runs are in: close the files and mark the sweep complete. */
  public synchronized void finish() {
    close("complete");
  }

  /**
   * The sweep was stopped (Ctrl-C): close the files and mark it interrupted with the results so
   * far. Returns false if it had already finished.
   */
  public synchronized boolean interrupt() {
    if (closed) {
      return false;
    }
    close("interrupted");
    return true;
  }

  public int total() {
    return sweep.total();
  }

  private void close(String status) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      jsonl.close();
      csv.close();
      manifest(status);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void manifest(String status) throws IOException {
    manifestAt = System.nanoTime();
    ObjectNode m = JSON.createObjectNode();
    m.put("name", sweep.name());
    m.put("file", sweep.file());
    m.put("status", status);
    m.put("runs", sweep.total());
    m.put("results", written.size());
    if (sweep.planHash() != null) {
      m.put("planHash", sweep.planHash());
    }
    m.put("started", started);
    if (!status.equals("running")) {
      m.put(status.equals("complete") ? "finished" : "stopped", Instant.now().toString());
    }
    m.putPOJO("parameters", sweep.parameters());
    m.putPOJO("metrics", sweep.metrics());
    replace(dir.resolve("sweep.json"), JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n");
  }

  /** Writes {@code f} whole or not at all. */
  private void replace(Path f, String text) throws IOException {
    Path tmp = dir.resolve("." + f.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The metric columns: every fixed summary field when none is named, without the row's own columns. */
  private static List<String> columns(List<String> metrics) {
    Set<String> out = new LinkedHashSet<>(metrics.isEmpty() ? SummaryFields.leaves() : metrics);
    out.removeAll(FIXED);
    return List.copyOf(out);
  }

  private static List<String> strings(JsonNode n) {
    if (n == null || !n.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    n.forEach(e -> out.add(e.asText()));
    return out;
  }

  private static String abbreviate(List<String> l) {
    return l.size() <= 4 ? l.toString() : l.subList(0, 3) + " and " + (l.size() - 3) + " more";
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  private static String csv(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
