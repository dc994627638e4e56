package dev.gmpsim.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * report.html: one file that opens from disk with no network. The page's HTML, CSS and script
 * are resources beside this class; ECharts comes from its WebJar on the class path; the sweep's
 * data is inlined as JSON. The same bytes for the same folder (no clock, no host in the page).
 */
public final class ReportPage {
  public static final String FILE = "report.html";
  /** ECharts as its WebJar lays it out; the version is the one pinned in the parent POM. */
  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
  private static final Pattern MARKER = Pattern.compile("@@([A-Z_]+)@@");
  /** The JSON inlined into a script element: no '<', '>' or '&' (so no "</script>"), ASCII only. */
  private static final ObjectMapper INLINE = JsonMapper.builder()
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
      .build();
  private static final ObjectMapper PLAIN = new ObjectMapper();

  static {
    INLINE.getFactory().setCharacterEscapes(new HtmlSafe());
  }

  private ReportPage() {}

  /** Writes DIR/report.html whole (under a temporary name, then moved) and returns its path. */
  public static Path write(SweepResults results) throws IOException {
    Path to = results.dir().resolve(FILE);
    Path tmp = results.dir().resolve("." + FILE + ".tmp");
    Files.writeString(tmp, html(results, false), StandardCharsets.UTF_8);
    Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return to;
  }

  /**
   * The page. {@code live}: served by {@code gmpsim serve}, which answers the page's requests
   * for new rows while the sweep runs; a page from disk never asks for anything.
   */
  public static String html(SweepResults results, boolean live) {
    ObjectNode data = data(results, 0);
    data.put("live", live);
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("TITLE", escapeHtml(results.name()));
    parts.put("CSS", resource("report.css"));
    parts.put("ECHARTS", script(classpath(ECHARTS)));
    parts.put("SCRIPT", script(resource("report.js")));
    parts.put("DATA", inline(data));
    // One pass over the template: text put in is never searched for markers again.
    String template = resource("report.html");
    Matcher m = MARKER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 1_200_000);
    int at = 0;
    while (m.find()) {
      String part = parts.get(m.group(1));
      if (part == null) {
        throw new IllegalStateException("report.html: unknown marker " + m.group());
      }
      out.append(template, at, m.start()).append(part);
      at = m.end();
    }
    return out.append(template, at, template.length()).toString();
  }

  /** The data the page draws from, with the rows from index {@code since} on (the server sends only new ones). */
  public static ObjectNode data(SweepResults r, int since) {
    List<SweepResults.Row> rows = r.rows();
    ObjectNode d = PLAIN.createObjectNode();
    d.put("name", r.name());
    d.put("file", r.file());
    d.put("status", r.status());
    d.put("partial", r.partial());
    d.put("total", r.total());
    d.put("fromCsv", r.fromCsv());
    d.put("gen", r.generation());
    d.putPOJO("parameters", r.parameters());
    d.putPOJO("metrics", r.metrics());
    ObjectNode values = d.putObject("paramValues");
    for (String p : r.parameters()) {
      List<String> vs = new ArrayList<>();
      rows.forEach(row -> {
        if (row.parameters().containsKey(p)) {
          vs.add(row.parameters().get(p));
        }
      });
      values.putPOJO(p, ValueOrder.sorted(vs));
    }
    TreeSet<Long> seeds = new TreeSet<>();
    rows.forEach(row -> {
      if (row.seed() != null) {
        seeds.add(row.seed());
      }
    });
    d.putPOJO("seeds", seeds);
    d.put("from", Math.min(since, rows.size()));
    ArrayNode out = d.putArray("rows");
    Path runs = r.dir().resolve("runs");
    boolean kept = Files.isDirectory(runs);
    for (SweepResults.Row row : rows.subList(Math.min(since, rows.size()), rows.size())) {
      ObjectNode o = out.addObject();
      o.put("id", row.id());
      ObjectNode p = o.putObject("p");
      row.parameters().forEach(p::put);
      if (row.seed() != null) {
        o.put("seed", row.seed());
      }
      o.put("outcome", row.outcome());
      o.put("kind", row.kind().label());
      o.put("node", row.node());
      if (row.wallMs() != null) {
        o.put("wallMs", row.wallMs());
      }
      if (row.attempt() != null) {
        o.put("attempt", row.attempt());
      }
      ObjectNode m = o.putObject("m");
      row.metrics().forEach((k, v) -> {
        if (v == null) {
          m.putNull(k);
        } else {
          m.put(k, v);
        }
      });
      if (kept) {
        ObjectNode links = links(runs, row.id());
        if (links != null) {
          o.set("links", links);
        }
      }
    }
    return d;
  }

  /** The kept files of a run that exist now: its pictures, else its summary. */
  private static ObjectNode links(Path runs, String id) {
    if (!id.matches("[0-9A-Za-z_-]+")) {
      return null; // ids are hex; anything else is not a folder name to link to
    }
    Path d = runs.resolve(id);
    if (!Files.isDirectory(d)) {
      return null;
    }
    ObjectNode l = PLAIN.createObjectNode();
    for (String f : List.of("threads.svg", "trace.json")) {
      if (Files.exists(d.resolve(f))) {
        l.put(f.substring(0, f.indexOf('.')), "runs/" + id + "/" + f);
      }
    }
    if (l.isEmpty() && Files.exists(d.resolve("summary.json"))) {
      l.put("summary", "runs/" + id + "/summary.json");
    }
    return l.isEmpty() ? null : l;
  }

  /** JSON for a script element. */
  public static String inline(ObjectNode n) {
    try {
      return INLINE.writeValueAsString(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A script's text, with any "</script" broken so that it cannot end the element early. */
  static String script(String js) {
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT");
  }

  static String escapeHtml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String resource(String name) {
    return classpath("dev/gmpsim/report/" + name);
  }

  private static String classpath(String path) {
    try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the class path (is the build complete?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Escapes '<', '>' and '&' as \\u00XX inside JSON strings. */
  private static final class HtmlSafe extends CharacterEscapes {
    private final int[] table;

    HtmlSafe() {
      table = CharacterEscapes.standardAsciiEscapesForJSON();
      table['<'] = CharacterEscapes.ESCAPE_STANDARD;
      table['>'] = CharacterEscapes.ESCAPE_STANDARD;
      table['&'] = CharacterEscapes.ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
