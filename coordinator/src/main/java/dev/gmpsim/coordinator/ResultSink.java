package dev.gmpsim.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmpsim.protocol.sweep.RunDone;
import dev.gmpsim.protocol.sweep.RunRequest;
import dev.gmpsim.sweep.SummaryFields;
import java.io.BufferedWriter;
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
import java.util.List;
import java.util.Set;

/**
 * A sweep's output folder: results.jsonl and results.csv get one row per run as results arrive
 * (each id once, flushed at once), and sweep.json says what the sweep is and whether it is
 * complete. Opening a folder that already holds a sweep fails unless resuming, which skips the
 * ids already there.
 */
public final class ResultSink {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final String name;
  private final String file;
  private final int total;
  private final List<String> parameters;
  private final List<String> metrics;
  private final Set<String> written = new HashSet<>();
  private final BufferedWriter jsonl;
  private final BufferedWriter csv;
  private final String started;

  /** Thrown when the folder cannot be used; the message is for the user. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  private ResultSink(Path dir, String name, String file, int total, List<String> parameters, List<String> metrics,
      boolean resume) throws IOException, Refused {
    this.dir = dir;
    this.name = name;
    this.file = file;
    this.total = total;
    this.parameters = List.copyOf(parameters);
    // No metrics named: every fixed summary field, as a sweep file without metrics gets.
    this.metrics = metrics.isEmpty() ? SummaryFields.leaves() : List.copyOf(metrics);
    this.started = Instant.now().toString();
    Files.createDirectories(dir);
    Path jl = dir.resolve("results.jsonl");
    Path cs = dir.resolve("results.csv");
    if (resume) {
      readExisting(jl);
    }
    boolean newCsv = !Files.exists(cs) || Files.size(cs) == 0;
    this.jsonl = Files.newBufferedWriter(jl, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    this.csv = Files.newBufferedWriter(cs, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (newCsv) {
      csv.write(String.join(",", header()));
      csv.newLine();
      csv.flush();
    }
    manifest("running");
  }

  /**
   * Opens {@code dir} for a sweep. Without {@code resume} the folder must not hold a sweep
   * already (nothing is overwritten); with it, the ids already in results.jsonl are kept.
   */
  public static ResultSink open(Path dir, String name, String file, int total, List<String> parameters,
      List<String> metrics, boolean resume) throws Refused {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new Refused(dir + ": --out must be a folder, and this is a file");
    }
    boolean hasSweep = Files.exists(dir.resolve("sweep.json")) || Files.exists(dir.resolve("results.jsonl"));
    if (hasSweep && !resume) {
      throw new Refused(dir + " already holds a sweep; use --resume to continue it, or another --out");
    }
    if (!hasSweep && resume) {
      throw new Refused(dir + " holds no sweep to resume");
    }
    try {
      return new ResultSink(dir, name, file, total, parameters, metrics, resume);
    } catch (IOException e) {
      throw new Refused(dir + ": cannot write there (" + e.getMessage() + ")");
    }
  }

  private void readExisting(Path jl) throws IOException, Refused {
    if (!Files.exists(jl)) {
      return;
    }
    List<String> lines = Files.readAllLines(jl, StandardCharsets.UTF_8);
    StringBuilder keep = new StringBuilder();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(line);
        written.add(n.get("id").asText());
        keep.append(line).append('\n');
      } catch (IOException | NullPointerException e) {
        // A line cut short by a crash: drop it, the run will be done again.
      }
    }
    Files.writeString(jl, keep.toString(), StandardCharsets.UTF_8);
  }

  public boolean hasResult(String runId) {
    return written.contains(runId);
  }

  public int resultsWritten() {
    return written.size();
  }

  public List<String> header() {
    List<String> h = new ArrayList<>();
    h.add("id");
    h.addAll(parameters);
    h.add("seed");
    h.addAll(metrics);
    h.add("outcome");
    h.add("node");
    h.add("wall_ms");
    h.add("attempt");
    return h;
  }

  /** Records one run's result, once. */
  public synchronized void write(RunRequest request, RunDone done) {
    if (!written.add(request.runId())) {
      return;
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
    List<String> cells = new ArrayList<>();
    cells.add(request.runId());
    for (String p : parameters) {
      cells.add(csv(request.parameters().getOrDefault(p, "")));
    }
    cells.add(Long.toString(request.seed()));
    for (String metric : metrics) {
      JsonNode v = summary == null ? null : summary.at("/" + metric.replace('.', '/'));
      if (v == null || v.isMissingNode() || v.isNull()) {
        m.putNull(metric);
        cells.add("");
      } else {
        m.set(metric, v);
        cells.add(csv(v.asText()));
      }
    }
    cells.add(csv(done.outcome()));
    cells.add(csv(done.node()));
    cells.add(Long.toString(done.wallNs() / 1_000_000));
    cells.add(Integer.toString(done.attempt()));
    if (summary != null) {
      row.set("summary", summary);
    }
    try {
      jsonl.write(JSON.writeValueAsString(row));
      jsonl.newLine();
      jsonl.flush();
      csv.write(String.join(",", cells));
      csv.newLine();
      csv.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All runs are in: close the files and mark the sweep complete. */
  public synchronized void finish() {
    try {
      jsonl.close();
      csv.close();
      manifest("complete");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void manifest(String status) throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("name", name);
    m.put("file", file);
    m.put("status", status);
    m.put("runs", total);
    m.put("results", written.size());
    m.put("started", started);
    if (status.equals("complete")) {
      m.put("finished", Instant.now().toString());
    }
    m.putPOJO("parameters", parameters);
    m.putPOJO("metrics", metrics);
    Path tmp = dir.resolve(".sweep.json.tmp");
    Files.writeString(tmp, JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n",
        StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve("sweep.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String csv(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
