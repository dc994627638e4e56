package dev.gmpsim.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artery over mutual TLS (GMPSIM_TRANSPORT=tls-tcp, the tls overlay's settings) on loopback: two
 * nodes with the cluster's key form a cluster; a node with a key of its own is refused.
 */
class TlsClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void nodesWithTheClusterKeyJoinAndANodeWithoutItIsRefused(@TempDir Path tmp) throws Exception {
    Path cluster = keystore(tmp, "cluster");
    Path stranger = keystore(tmp, "stranger");
    int seed = freePort();
    int mgmt = freePort();
    start(tmp.resolve("a.log"), cluster, "node", "--port", Integer.toString(seed), "--parallelism", "1",
        "--management-port", Integer.toString(mgmt));
    start(tmp.resolve("b.log"), cluster, "node", "--port", "0", "--parallelism", "1",
        "--seed-nodes", "127.0.0.1:" + seed);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int up = 0;
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && up < 2) {
      Thread.sleep(500);
      up = upMembers(http, mgmt);
    }
    assertEquals(2, up, "two nodes with the key: " + Files.readString(tmp.resolve("b.log")));
    start(tmp.resolve("c.log"), stranger, "node", "--port", "0", "--parallelism", "1",
        "--seed-nodes", "127.0.0.1:" + seed);
    Thread.sleep(15_000);
    assertEquals(2, upMembers(http, mgmt), "the node without the cluster's key never joins");
  }

  private static int upMembers(HttpClient http, int port) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cluster/members"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      int n = 0;
      for (JsonNode m : JSON.readTree(r.body()).path("members")) {
        n += "Up".equals(m.path("status").asText()) ? 1 : 0;
      }
      return n;
    } catch (Exception e) {
      return 0;
    }
  }

  /** A PKCS12 key pair that is also its own trust store: what a Secret would hold. */
  private static Path keystore(Path dir, String name) throws Exception {
    Path ks = dir.resolve(name + ".p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=" + name, "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    return ks;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void start(Path log, Path keys, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.gmpsim.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("GMPSIM_TRANSPORT", "tls-tcp");
    pb.environment().put("GMPSIM_TLS_KEYSTORE", keys.toString());
    pb.environment().put("GMPSIM_TLS_TRUSTSTORE", keys.toString());
    pb.environment().put("GMPSIM_TLS_PASSWORD", "changeit");
    processes.add(pb.start());
  }
}
