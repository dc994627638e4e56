package dev.gmpsim.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artery over mutual TLS (GMPSIM_TRANSPORT=tls-tcp, the tls overlay's settings) on loopback: two
 * nodes with the cluster's key form a cluster; a node with a key of its own is refused.
 */
class TlsClusterTest {
  private final NodeProcesses nodes = new NodeProcesses();

  @AfterEach
  void stop() {
    nodes.close();
  }

  @Test
  void nodesWithTheClusterKeyJoinAndANodeWithoutItIsRefused(@TempDir Path tmp) throws Exception {
    Path cluster = keystore(tmp, "cluster");
    Path stranger = keystore(tmp, "stranger");
    int seed = NodeProcesses.freePort();
    int mgmt = NodeProcesses.freePort();
    start(tmp.resolve("a.log"), cluster, "node", "--port", Integer.toString(seed), "--parallelism", "1",
        "--management-port", Integer.toString(mgmt));
    start(tmp.resolve("b.log"), cluster, "node", "--port", "0", "--parallelism", "1",
        "--seed-nodes", "127.0.0.1:" + seed);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int up = 0;
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && up < 2) {
      Thread.sleep(500);
      up = NodeProcesses.upMembers(http, mgmt);
    }
    assertEquals(2, up, "two nodes with the key: " + Files.readString(tmp.resolve("b.log")));
    start(tmp.resolve("c.log"), stranger, "node", "--port", "0", "--parallelism", "1",
        "--seed-nodes", "127.0.0.1:" + seed);
    Thread.sleep(15_000);
    assertEquals(2, NodeProcesses.upMembers(http, mgmt), "the node without the cluster's key never joins");
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

  private void start(Path log, Path keys, String... args) throws Exception {
    nodes.start(log, List.of("-Xmx256m"), Map.of("GMPSIM_TRANSPORT", "tls-tcp", "GMPSIM_TLS_KEYSTORE", keys.toString(),
        "GMPSIM_TLS_TRUSTSTORE", keys.toString(), "GMPSIM_TLS_PASSWORD", "changeit"), args);
  }
}
