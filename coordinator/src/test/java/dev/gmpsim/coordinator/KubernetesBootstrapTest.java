package dev.gmpsim.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import dev.gmpsim.sweep.SweepLoader;
import dev.gmpsim.sweep.SweepPlan;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster bootstrap through the real kubernetes-api discovery, without a cluster: three node JVMs
 * on 127.0.0.1, .2 and .3 (the same ports on each, like pods) with kubernetes.conf read the pod
 * list from a stand-in for the Kubernetes API (HTTPS with a certificate made here, a token file
 * and a namespace file, as a service account has) and form one cluster; a 200-run sweep then runs
 * on it, one node gets SIGTERM mid-sweep, and every run arrives once with a one-node run's result.
 */
class KubernetesBootstrapTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] PODS = {"127.0.0.1", "127.0.0.2", "127.0.0.3"};
  private final NodeProcesses processes = new NodeProcesses();
  private HttpsServer api;
  private int remoting;
  private int management;

  @AfterEach
  void stop() {
    processes.close();
    if (api != null) {
      api.stop(0);
    }
  }

  @Test
  void threeNodesFindEachOtherThroughTheApiRunASweepAndOneLeavesOnSigterm(@TempDir Path tmp) throws Exception {
    Path sa = Files.createDirectories(tmp.resolve("serviceaccount"));
    SSLContext tls = certificate(sa);
    Files.writeString(sa.resolve("token"), "test-token-123");
    Files.writeString(sa.resolve("namespace"), "gmpsim-test");
    // The same two ports on every pod address, as in a pod; free ones (not 25520 and 8558), so
    // that a cluster someone else runs on this machine is not mistaken for this one.
    remoting = portFreeOnEveryPod();
    management = portFreeOnEveryPod();
    List<String> requests = new CopyOnWriteArrayList<>();
    api = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.setHttpsConfigurator(new HttpsConfigurator(tls));
    api.createContext("/", ex -> {
      requests.add(ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Authorization"));
      byte[] body = podList(remoting, management).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    api.start();
    int apiPort = api.getAddress().getPort();
    List<Process> nodes = new ArrayList<>();
    for (String ip : PODS) {
      nodes.add(start(tmp.resolve("node-" + ip + ".log"), sa, apiPort,
          "node", "--config", "kubernetes", "--host", ip, "--parallelism", "1"));
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + 90_000_000_000L;
    int up = 0;
    while (System.nanoTime() < deadline && up < 3) {
      Thread.sleep(1000);
      up = NodeProcesses.upMembers(http, management);
    }
    assertEquals(3, up, "one cluster of three: " + logs(tmp));
    assertTrue(requests.stream().anyMatch(r ->
            r.startsWith("/api/v1/namespaces/gmpsim-test/pods?labelSelector=app%3Dgmpsim")
                && r.endsWith("Bearer test-token-123")), "the discovery's request: " + requests);

    // A 200-run sweep of tiny runs (seconds in all) joined to the cluster.
    Path file = tmp.resolve("sweep.yaml");
    Files.writeString(file, SubmitterRestartTest.SWEEP);
    SweepPlan plan = SweepLoader.load(file);
    int total = plan.runs().size();
    assertEquals(200, total);
    Path out = tmp.resolve("out");
    Path sweepLog = tmp.resolve("sweep.log");
    Process sweep = start(sweepLog, sa, apiPort, "sweep", file.toString(), "--out", out.toString(),
        "--join", "127.0.0.1:" + remoting, "--port", "0", "--parallelism", "1");
    // Some results in, the third pod is told to stop, as the kubelet does on a rollout.
    Path jsonl = out.resolve("results.jsonl");
    long until = System.nanoTime() + 180_000_000_000L;
    while (SubmitterRestartTest.lines(jsonl) < 40) {
      assertTrue(sweep.isAlive(), "the sweep ended early: " + Files.readString(sweepLog));
      assertTrue(System.nanoTime() < until, "no progress: " + Files.readString(sweepLog) + logs(tmp));
      Thread.sleep(50);
    }
    Process third = nodes.get(2);
    third.destroy(); // SIGTERM
    long before = SubmitterRestartTest.lines(jsonl);
    assertTrue(third.waitFor(60, TimeUnit.SECONDS), "the node leaves within the grace period");
    assertEquals(0, third.exitValue(), "a graceful leave exits 0: " + logs(tmp));
    assertTrue(sweep.waitFor(240, TimeUnit.SECONDS), Files.readString(sweepLog));
    assertEquals(0, sweep.exitValue(), Files.readString(sweepLog));
    assertTrue(before < total, "the node left mid-sweep: " + before + " of " + total);
    Map<String, JsonNode> cluster = new LinkedHashMap<>();
    int lines = 0;
    for (String line : Files.readAllLines(jsonl)) {
      JsonNode r = JSON.readTree(line);
      cluster.put(r.get("id").asText(), r);
      lines++;
    }
    assertEquals(total, lines, "one line per run");
    assertEquals(total, cluster.size(), "every run exactly once");
    long onThird = cluster.values().stream().filter(r -> r.get("node").asText().contains(PODS[2] + ":")).count();
    System.out.printf("bootstrap: %d of %d results in at the SIGTERM; the node that left had done %d%n",
        before, total, onThird);
    // The same results as one node gives.
    Map<String, JsonNode> alone = SubmitterRestartTest.singleNode(plan, file, tmp.resolve("single"));
    assertEquals(alone.keySet(), cluster.keySet());
    for (String id : alone.keySet()) {
      assertEquals("ok", cluster.get(id).get("outcome").asText(), id);
      assertEquals(alone.get(id).get("summary"), cluster.get(id).get("summary"), "run " + id);
    }
  }

  /** A pod list as the API server answers it: each pod's IP and its named management port. */
  private static String podList(int remoting, int management) {
    StringBuilder b = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"items\":[");
    for (int i = 0; i < PODS.length; i++) {
      b.append(i == 0 ? "" : ",").append("{\"metadata\":{\"name\":\"gmpsim-").append(i)
          .append("\",\"namespace\":\"gmpsim-test\",\"labels\":{\"app\":\"gmpsim\"}},")
          .append("\"spec\":{\"containers\":[{\"name\":\"gmpsim\",\"ports\":[")
          .append("{\"name\":\"remoting\",\"containerPort\":").append(remoting)
          .append("},{\"name\":\"management\",\"containerPort\":").append(management).append("}]}]},")
          .append("\"status\":{\"phase\":\"Running\",\"podIP\":\"").append(PODS[i]).append("\"}}");
    }
    return b.append("]}").toString();
  }

  /** A key pair for 127.0.0.1 made with keytool; its certificate is the CA file the pods trust. */
  private static SSLContext certificate(Path sa) throws Exception {
    Path ks = sa.resolveSibling("api.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "api", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit");
    run(keytool, "-exportcert", "-rfc", "-alias", "api", "-keystore", ks.toString(), "-storepass", "changeit",
        "-file", sa.resolve("ca.crt").toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static int portFreeOnEveryPod() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = NodeProcesses.freePort();
      boolean free = true;
      for (String ip : PODS) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
          s.bind(new InetSocketAddress(ip, port));
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return port;
      }
    }
    throw new IOException("no port free on all of " + String.join(", ", PODS));
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
  }

  private Process start(Path log, Path sa, int apiPort, String... args) throws IOException {
    return processes.start(log, List.of("-Xmx384m",
            "-Dakka.discovery.kubernetes-api.api-ca-path=" + sa.resolve("ca.crt"),
            "-Dakka.discovery.kubernetes-api.api-token-path=" + sa.resolve("token"),
            "-Dakka.discovery.kubernetes-api.pod-namespace-path=" + sa.resolve("namespace")),
        java.util.Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", Integer.toString(apiPort),
            "REQUIRED_CONTACT_POINT_NR", "3", "GMPSIM_DOWN_AFTER", "5s",
            "GMPSIM_PORT", Integer.toString(remoting), "GMPSIM_MANAGEMENT_PORT", Integer.toString(management)),
        args);
  }

  private static String logs(Path tmp) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String ip : PODS) {
      Path f = tmp.resolve("node-" + ip + ".log");
      if (Files.exists(f)) {
        List<String> lines = Files.readAllLines(f);
        b.append("\n--- ").append(ip).append('\n')
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      }
    }
    return b.toString();
  }
}
