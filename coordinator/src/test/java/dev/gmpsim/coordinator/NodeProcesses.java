package dev.gmpsim.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The command line in JVMs of their own (the test class path), and what tests ask of them. */
final class NodeProcesses implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Process> started = new ArrayList<>();

  /** {@code gmpsim ARGS} with {@code jvm} flags and {@code env} added; output to {@code log}. */
  Process start(Path log, List<String> jvm, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.gmpsim.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** Members Up in the cluster, from Akka Management's /cluster/members on {@code port}; 0 if it does not answer. */
  static int upMembers(HttpClient http, int port) {
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

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** SIGKILL to every JVM started here that still runs, and wait until each is gone. */
  @Override
  public void close() {
    started.forEach(Process::destroyForcibly);
    for (Process p : started) {
      try {
        p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
