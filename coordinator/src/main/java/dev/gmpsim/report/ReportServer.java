package dev.gmpsim.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code gmpsim serve}: the report page of a sweep folder, drawn afresh from the results on each
 * request, the page's endpoint for rows that arrived since ({@code api/data?since=N}), and the
 * folder's files (kept runs' pictures, results.csv, ...). Nothing outside the folder is served:
 * {@code ..}, encoded or not, absolute paths and symlinks that lead out are refused.
 *
 * <p>The JDK's own HTTP server, not akka-http: a local viewer for a few files and one JSON
 * endpoint needs no ActorSystem, starts in milliseconds and stops with one call.
 */
public final class ReportServer implements AutoCloseable {
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "svg", "image/svg+xml", "json", "application/json",
      "csv", "text/csv; charset=utf-8", "txt", "text/plain; charset=utf-8", "jsonl", "text/plain; charset=utf-8",
      "png", "image/png");

  private final HttpServer server;
  private final ExecutorService pool;
  private final Path root;
  private final Path realRoot;
  private final SweepResults results;

  private ReportServer(HttpServer server, ExecutorService pool, Path root, SweepResults results) throws IOException {
    this.server = server;
    this.pool = pool;
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = root.toRealPath();
    this.results = results;
  }

  /** Serves {@code dir} on {@code bind:port} (port 0: any free port); fails if the port cannot be had. */
  public static ReportServer start(Path dir, String bind, int port) throws IOException, SweepResults.NotResults {
    SweepResults results = SweepResults.read(dir, false);
    HttpServer s = HttpServer.create(new InetSocketAddress(bind, port), 0);
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "gmpsim-serve");
      t.setDaemon(true);
      return t;
    });
    ReportServer rs = new ReportServer(s, pool, dir, results);
    s.createContext("/", rs::handle);
    s.setExecutor(pool);
    s.start();
    return rs;
  }

  /** The address bound. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** http://HOST:PORT/ for a browser on this machine (127.0.0.1 for a wildcard bind). */
  public String url() {
    InetSocketAddress a = address();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + a.getPort() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String method = x.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        send(x, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
        return;
      }
      URI uri = x.getRequestURI();
      String raw = uri.getRawPath();
      String path = uri.getPath(); // percent-decoded: %2e%2e is .. here
      if (raw == null || path == null || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
        send(x, 403, "text/plain; charset=utf-8", "refused\n");
        return;
      }
      switch (path) {
        case "/", "/" + ReportPage.FILE -> {
          results.refresh();
          send(x, 200, TYPES.get("html"), ReportPage.html(results, true));
        }
        case "/api/data" -> {
          results.refresh();
          Map<String, String> q = query(uri.getRawQuery());
          int since = parse(q.get("since"));
          // Rows were read again from the start (a resume): the page starts over.
          if (parse(q.get("gen")) != results.generation()) {
            since = 0;
          }
          ObjectNode d = ReportPage.data(results, since);
          send(x, 200, "application/json", ReportPage.inline(d));
        }
        // Browsers ask for one beside every file they show; there is none, and that is no error.
        case "/favicon.ico" -> {
          if (Files.exists(root.resolve("favicon.ico"))) {
            file(x, path);
          } else {
            x.getResponseHeaders().set("Cache-Control", "max-age=86400");
            x.sendResponseHeaders(204, -1);
          }
        }
        default -> file(x, path);
      }
    } catch (RuntimeException e) {
      send(x, 500, "text/plain; charset=utf-8", "error: " + e + "\n");
    }
  }

  private void file(HttpExchange x, String path) throws IOException {
    String rel = path.substring(1);
    for (String seg : rel.split("/", -1)) {
      if (seg.equals("..") || seg.equals(".")) {
        send(x, 403, "text/plain; charset=utf-8", "refused: outside the folder\n");
        return;
      }
    }
    Path p;
    try {
      if (rel.startsWith("/") || Path.of(rel).isAbsolute()) {
        send(x, 403, "text/plain; charset=utf-8", "refused: absolute path\n");
        return;
      }
      p = root.resolve(rel).normalize();
    } catch (InvalidPathException e) {
      send(x, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    if (!p.startsWith(root)) {
      send(x, 403, "text/plain; charset=utf-8", "refused: outside the folder\n");
      return;
    }
    if (!Files.exists(p) || Files.isDirectory(p)) {
      send(x, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    // A symlink inside the folder that leads out of it is refused too.
    if (!p.toRealPath().startsWith(realRoot)) {
      send(x, 403, "text/plain; charset=utf-8", "refused: outside the folder\n");
      return;
    }
    String name = p.getFileName().toString();
    String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
    x.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    long size = Files.size(p);
    if (x.getRequestMethod().equals("HEAD")) {
      x.sendResponseHeaders(200, -1);
      return;
    }
    x.sendResponseHeaders(200, size == 0 ? -1 : size);
    try (InputStream in = Files.newInputStream(p); OutputStream out = x.getResponseBody()) {
      in.transferTo(out);
    }
  }

  private static void send(HttpExchange x, int code, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (x.getRequestMethod().equals("HEAD")) {
      x.sendResponseHeaders(code, -1);
      return;
    }
    x.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new java.util.HashMap<>();
    if (raw == null) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }

  private static int parse(String s) {
    try {
      return s == null ? 0 : Math.max(0, Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
