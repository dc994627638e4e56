package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gmpsim node with Akka Management: the health checks the Kubernetes probes use, and bad settings. */
class NodeManagementTest {
  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aNodeAnswersAliveAndReadyOnItsManagementPortAndLeavesOnSigterm(@TempDir Path tmp) throws Exception {
    int mgmt = freePort();
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "dev.gmpsim.cli.Main", "node", "--port", "0",
        "--parallelism", "1", "--management-port", Integer.toString(mgmt));
    Path log = tmp.resolve("node.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      int alive = -1;
      int ready = -1;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && ready != 200) {
        Thread.sleep(300);
        alive = status(http, mgmt, "/alive");
        ready = status(http, mgmt, "/ready");
      }
      assertEquals(200, alive, Files.readString(log));
      assertEquals(200, ready, "ready once the node is Up in its cluster: " + Files.readString(log));
      assertTrue(Files.readString(log).contains("management on port " + mgmt), Files.readString(log));
    } finally {
      p.destroy(); // SIGTERM: coordinated shutdown leaves the cluster, then the JVM ends
    }
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the node exits after SIGTERM");
    assertEquals(0, p.exitValue(), "a planned stop: " + Files.readString(log));
    assertTrue(Files.readString(log).contains("left the cluster"), Files.readString(log));
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void settingsThatCannotWorkFailAtOnceWithOneLine() throws Exception {
    int port = freePort();
    for (String[] args : new String[][] {
        {"node", "--port", Integer.toString(port), "--config", "nope"},
        {"node", "--port", Integer.toString(port), "--management-port", "70000"},
        {"node", "--port", Integer.toString(port), "--host", ""},
        // Outside a pod: no KUBERNETES_SERVICE_HOST (or no service account token).
        {"node", "--port", Integer.toString(port), "--config", "kubernetes", "--management-port", "0"}}) {
      CliTest.Result r = CliTest.run(args);
      assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", args) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
  }
}
