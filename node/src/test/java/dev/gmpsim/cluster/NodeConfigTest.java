package dev.gmpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** node.conf and kubernetes.conf: defaults, environment overrides, and flags over both. */
class NodeConfigTest {
  /** The file resolved with {@code env} standing in for the process environment. */
  static Config withEnv(String file, Map<String, Object> env) {
    // ${?GMPSIM_X} looks up the path GMPSIM_X in the whole config first: the stand-in goes there.
    return ConfigFactory.parseResourcesAnySyntax(file)
        .withFallback(ConfigFactory.defaultReference())
        .withFallback(ConfigFactory.parseMap(env))
        .resolve(com.typesafe.config.ConfigResolveOptions.noSystem());
  }

  @Test
  void nodeDefaultsAreALocalClusterNodeWithSplitBrainResolution() {
    Config c = withEnv("node.conf", Map.of());
    assertEquals("cluster", c.getString("akka.actor.provider"));
    assertEquals("127.0.0.1", c.getString("akka.remote.artery.canonical.hostname"));
    assertEquals(25520, c.getInt("akka.remote.artery.canonical.port"));
    assertEquals("keep-majority", c.getString("akka.cluster.split-brain-resolver.active-strategy"));
    assertEquals(1, c.getInt("akka.cluster.sharding.distributed-data.majority-min-cap"));
    assertFalse(c.getBoolean("gmpsim.node.management"));
    assertFalse(c.getBoolean("akka.coordinated-shutdown.exit-jvm"));
  }

  @Test
  void theEnvironmentOverridesTheFile() {
    Config c = withEnv("node.conf", Map.of("GMPSIM_HOST", "10.1.2.3", "GMPSIM_PORT", "2600",
        "GMPSIM_MANAGEMENT_PORT", "9001", "GMPSIM_MANAGEMENT", "on", "GMPSIM_JOIN_TIMEOUT", "30s"));
    assertEquals("10.1.2.3", c.getString("akka.remote.artery.canonical.hostname"));
    assertEquals(2600, c.getInt("akka.remote.artery.canonical.port"));
    assertEquals("10.1.2.3", c.getString("akka.management.http.hostname"), "management listens where remoting does");
    assertEquals(9001, c.getInt("akka.management.http.port"));
    assertTrue(c.getBoolean("gmpsim.node.management"));
    assertEquals(30, c.getDuration("akka.cluster.shutdown-after-unsuccessful-join-seed-nodes").toSeconds());
  }

  @Test
  void kubernetesIncludesNodeAndTurnsOnBootstrapThroughTheApi() {
    Config c = withEnv("kubernetes.conf", Map.of("GMPSIM_HOST", "10.0.0.7", "REQUIRED_CONTACT_POINT_NR", "3"));
    assertEquals("cluster", c.getString("akka.actor.provider"), "from node.conf");
    assertEquals("10.0.0.7", c.getString("akka.remote.artery.canonical.hostname"));
    assertTrue(c.getBoolean("gmpsim.node.management"));
    assertTrue(c.getBoolean("gmpsim.node.bootstrap"));
    assertTrue(c.getBoolean("akka.coordinated-shutdown.exit-jvm"), "the pod's JVM exits after leaving");
    assertEquals("kubernetes-api", c.getString("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    assertEquals(3, c.getInt("akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
    assertEquals("app=%s", c.getString("akka.discovery.kubernetes-api.pod-label-selector"));
    assertEquals(120, c.getDuration("akka.cluster.shutdown-after-unsuccessful-join-seed-nodes").toSeconds());
  }

  @Test
  void flagsOverrideTheFileAndMakeOneDispatcherPerSlot() {
    Config c = NodeConfig.load("node.conf",
        NodeConfig.flags("127.0.0.9", 0, List.of("127.0.0.1:25520"), List.of(NodeConfig.WORKER), 3));
    assertEquals("127.0.0.9", c.getString("akka.remote.artery.canonical.hostname"));
    assertEquals(0, c.getInt("akka.remote.artery.canonical.port"));
    assertEquals(List.of("akka://gmpsim@127.0.0.1:25520"), c.getStringList("akka.cluster.seed-nodes"));
    assertEquals(3, c.getInt("gmpsim.worker.parallelism"));
    assertTrue(c.hasPath("gmpsim.run-dispatchers.d2"));
    assertFalse(c.hasPath("gmpsim.run-dispatchers.d3"));
  }
}
