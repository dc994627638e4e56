package dev.gmpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * gmpsim node and bench refuse options that cannot work with one line and exit code 2, before
 * anything starts (a node that starts would block the test: the timeout catches that).
 */
class NodeCliTest {
  static CliTest.Result refused(String... args) {
    CliTest.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliTest.run(args));
    assertEquals(2, r.code(), r.err() + r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(!r.err().contains("internal error") && !r.err().contains("\tat "), r.err());
    return r;
  }

  @Test
  void aNodeWithNoRunSlotsIsRefused() throws Exception {
    CliTest.Result r = refused("node", "--port", "0", "--parallelism", "0");
    assertTrue(r.err().contains("--parallelism must be at least 1, got 0"), r.err());
    r = refused("node", "--port", "0", "--parallelism", "-2");
    assertTrue(r.err().contains("--parallelism must be at least 1"), r.err());
  }

  @Test
  void portsOutOfRangeOrInUseAndHostsNotOfThisMachineAreOneLine() throws Exception {
    CliTest.Result r = refused("node", "--port", "99999");
    assertTrue(r.err().contains("--port: 99999 is not a port (0-65535)"), r.err());
    r = refused("node", "--port", "-1");
    assertTrue(r.err().contains("--port: -1 is not a port"), r.err());
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      r = refused("node", "--port", "" + taken.getLocalPort());
      assertTrue(r.err().contains("port " + taken.getLocalPort() + " is already in use on 127.0.0.1"), r.err());
    }
    r = refused("node", "--port", "0", "--host", "192.0.2.1"); // TEST-NET-1: no machine has it
    assertTrue(r.err().contains("--host: cannot listen on 192.0.2.1:0"), r.err());
    r = refused("node", "--port", "0", "--host", "no-such-host.invalid");
    assertTrue(r.err().contains("--host: cannot resolve 'no-such-host.invalid'"), r.err());
  }

  @Test
  void benchRefusesZeroRepeats() {
    CliTest.Result r = refused("bench", "--repeat", "0");
    assertTrue(r.err().contains("--repeat must be at least 1, got 0"), r.err());
  }
}
