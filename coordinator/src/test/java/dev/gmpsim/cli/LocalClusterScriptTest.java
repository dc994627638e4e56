package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/local-cluster.sh with nodes run from the test class path: a second start on a port in
 * use fails clearly and keeps the pids file, a node that cannot start is an error, and stop
 * returns only once the nodes have exited.
 */
class LocalClusterScriptTest {
  static final Path SCRIPT = Files.exists(Path.of("..", "deploy", "local-cluster.sh"))
      ? Path.of("..", "deploy", "local-cluster.sh") : Path.of("deploy", "local-cluster.sh");

  record Result(int code, String out, String err) {}

  private final List<Long> pids = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void portsInUseFailClearlyAndStopWaitsForTheNodes(@TempDir Path tmp) throws Exception {
    Path state = tmp.resolve("state");
    int port = freePort();
    Result r = script(state, Map.of(), "1", "" + port);
    assertEquals(0, r.code(), r.out() + r.err());
    List<String> entries = Files.readAllLines(state.resolve("pids"));
    assertEquals(1, entries.size(), entries.toString());
    long first = Long.parseLong(entries.get(0).split(" ")[0]);
    pids.add(first);
    assertEquals(first + " " + port, entries.get(0));
    assertTrue(r.out().contains("node 0: 127.0.0.1:" + port + " (pid " + first), r.out());
    assertTrue(alive(first));

    // The same port again: refused before anything starts; the first node and its entry stay.
    r = script(state, Map.of(), "1", "" + port);
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals("local-cluster.sh: port " + port + " is in use by node pid " + first
        + " started earlier; run 'local-cluster.sh stop' first or give another BASE_PORT", r.err().strip());
    assertFalse(r.out().contains("pid"), r.out());
    assertEquals(entries, Files.readAllLines(state.resolve("pids")));
    assertTrue(alive(first));

    // A port another program holds.
    try (ServerSocket other = new ServerSocket()) {
      other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      r = script(state, Map.of(), "1", "" + other.getLocalPort());
      assertEquals(2, r.code(), r.out() + r.err());
      assertTrue(r.err().contains("port " + other.getLocalPort() + " is in use by another program"), r.err());
    }

    // A node that dies while starting is an error, not a pid; the pids file keeps the first node only.
    r = script(state, Map.of("GMPSIM_PARALLELISM", "0"), "1", "" + freePort());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("did not start: gmpsim: --parallelism must be at least 1, got 0"), r.err());
    assertEquals(entries, Files.readAllLines(state.resolve("pids")));

    // stop returns once the node has exited.
    r = script(state, Map.of(), "stop");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("waiting for 1 node(s)"), r.out());
    assertTrue(r.out().contains("stopped 1 node(s)"), r.out());
    assertFalse(alive(first), "the node has exited when stop returns");
    assertFalse(Files.exists(state.resolve("pids")));
    r = script(state, Map.of(), "stop");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("no nodes started from here are running"), r.out());
  }

  @Test
  void badArgumentsAreOneLine(@TempDir Path tmp) throws Exception {
    Result r = script(tmp, Map.of(), "two");
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    r = script(tmp, Map.of(), "2", "65535");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("within 1-65535"), r.err());
  }

  /** Running, not a zombie: an exited node waits for init to reap it. */
  private static boolean alive(long pid) throws IOException {
    Path stat = Path.of("/proc", "" + pid, "stat");
    if (Files.exists(stat)) {
      try {
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
      } catch (IOException e) {
        return false; // gone while reading
      }
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private Result script(Path state, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(state.getParent(), "out", ".txt");
    Path err = Files.createTempFile(state.getParent(), "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("GMPSIM_CLUSTER_STATE", state.toString());
    pb.environment().put("GMPSIM_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("GMPSIM_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script ended");
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
