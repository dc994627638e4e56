package dev.gmpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server of gmpsim serve: the page, the rows since, the folder's files and nothing outside it. */
class ReportServerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  record Response(int code, String body) {}

  /** A request sent as written (no client normalising the path on the way). */
  static Response get(ReportServer s, String target) throws IOException {
    return request(s, "GET", target);
  }

  static Response request(ReportServer s, String method, String target) throws IOException {
    try (Socket sock = new Socket(s.address().getAddress(), s.address().getPort())) {
      OutputStream o = sock.getOutputStream();
      o.write((method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      InputStream in = sock.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int code = Integer.parseInt(all.substring(9, 12));
      int body = all.indexOf("\r\n\r\n");
      return new Response(code, body < 0 ? "" : all.substring(body + 4));
    }
  }

  @Test
  void servesThePageAndTheFolderButNothingOutsideIt(@TempDir Path tmp) throws Exception {
    Path dir = ReportFolders.folder(tmp.resolve("sweep"), "complete", 12);
    Path secret = tmp.resolve("secret.txt");
    Files.writeString(secret, "secret");
    Files.createDirectories(dir.resolve("runs/abc"));
    Files.writeString(dir.resolve("runs/abc/summary.json"), "{\"outcome\":\"ok\"}");
    Files.createSymbolicLink(dir.resolve("leak.txt"), secret);
    Files.createSymbolicLink(dir.resolve("runs/out"), tmp);
    try (ReportServer s = ReportServer.start(dir, "127.0.0.1", 0)) {
      assertTrue(s.url().startsWith("http://127.0.0.1:"), s.url());
      Response page = get(s, "/");
      assertEquals(200, page.code());
      assertTrue(page.body().contains("id=\"gmpsim-data\""));
      assertTrue(page.body().contains("\"live\":true"), "a served page refreshes");
      assertEquals(200, get(s, "/report.html").code());
      assertEquals("{\"outcome\":\"ok\"}", get(s, "/runs/abc/summary.json").body());
      assertTrue(get(s, "/results.jsonl").body().contains("abc000"));
      assertEquals(404, get(s, "/runs/abc/missing.json").code());
      assertEquals(404, get(s, "/runs/abc").code(), "no folder listings");
      for (String evil : new String[] {"/../secret.txt", "/runs/../../secret.txt", "/%2e%2e/secret.txt",
          "/%2E%2E/secret.txt", "/runs/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "//" + secret,
          "/" + secret, "/leak.txt", "/runs/out/secret.txt", "/runs/abc/%00summary.json", "/..\\secret.txt"}) {
        Response r = get(s, evil);
        assertTrue(r.code() == 403 || r.code() == 404 || r.code() == 400, evil + " -> " + r.code());
        assertFalse(r.body().contains("secret") && !r.body().contains("refused"), evil + " leaked: " + r.body());
      }
      assertEquals(405, request(s, "POST", "/").code());
      assertEquals(204, get(s, "/favicon.ico").code());
    }
  }

  @Test
  void theDataEndpointSendsTheRowsSinceAndAllOfThemAfterAResume(@TempDir Path tmp) throws Exception {
    Path dir = ReportFolders.folder(tmp.resolve("sweep"), "running", 5);
    try (ReportServer s = ReportServer.start(dir, "127.0.0.1", 0)) {
      JsonNode d = JSON.readTree(get(s, "/api/data?since=0&gen=0").body());
      assertEquals(5, d.get("rows").size());
      assertEquals("running", d.get("status").asText());
      Files.writeString(dir.resolve("results.jsonl"), ReportFolders.rows(12).get(5) + "\n", StandardOpenOption.APPEND);
      d = JSON.readTree(get(s, "/api/data?since=5&gen=0").body());
      assertEquals(1, d.get("rows").size());
      assertEquals(5, d.get("from").asInt());
      assertEquals(ReportFolders.rows(12).get(5).substring(7, 23), d.at("/rows/0/id").asText());
      // Replaced by a resume: the page gets every row again, under a new generation.
      Path t = dir.resolve(".results.jsonl.tmp");
      Files.write(t, ReportFolders.rows(12).subList(0, 2));
      Files.move(t, dir.resolve("results.jsonl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      d = JSON.readTree(get(s, "/api/data?since=6&gen=0").body());
      assertEquals(2, d.get("rows").size());
      assertEquals(1, d.get("gen").asInt());
    }
  }
}
