package dev.gmpsim.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The configuration a cluster node starts with: where it listens, which seed nodes it joins,
 * its roles, one single-threaded run dispatcher per slot, and split-brain resolution so that a
 * node that dies is downed and its shards move to the others.
 */
public final class NodeConfig {
  public static final String SYSTEM = "gmpsim";
  public static final String WORKER = "worker";
  public static final String COORDINATOR = "coordinator";

  private NodeConfig() {}

  /** {@code seeds} as host:port; an empty list means: join yourself (a one-node cluster). */
  public static Config of(String host, int port, List<String> seeds, List<String> roles, int parallelism) {
    return load("node.conf", flags(host, port, seeds, roles, parallelism));
  }

  /**
   * The configuration in {@code file} (node.conf or kubernetes.conf, from the class path) under
   * {@code flags}, the command line's settings as HOCON paths; the environment fills the
   * file's ${?GMPSIM_...} fields. One run dispatcher per slot is added for the resolved
   * {@code gmpsim.worker.parallelism}.
   */
  public static Config load(String file, Map<String, Object> flags) {
    Config c = ConfigFactory.parseMap(flags)
        .withFallback(ConfigFactory.parseResourcesAnySyntax(file))
        .withFallback(ConfigFactory.load())
        .resolve();
    int slots = c.getInt("gmpsim.worker.parallelism");
    StringBuilder b = new StringBuilder("gmpsim.run-dispatchers {\n");
    for (int i = 0; i < slots; i++) {
      b.append("  d").append(i).append(" = ${gmpsim.run-dispatcher}\n");
    }
    b.append("}\n");
    return ConfigFactory.parseString(b.toString()).withFallback(c).resolve();
  }

  /** The flags of {@code gmpsim node} as the HOCON paths they set; null leaves a setting alone. */
  public static Map<String, Object> flags(
      String host, Integer port, List<String> seeds, List<String> roles, Integer parallelism) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (host != null) {
      m.put("akka.remote.artery.canonical.hostname", host);
    }
    if (port != null) {
      m.put("akka.remote.artery.canonical.port", port);
    }
    if (seeds != null && !seeds.isEmpty()) {
      m.put("akka.cluster.seed-nodes",
          seeds.stream().map(s -> "akka://" + SYSTEM + "@" + s).collect(Collectors.toList()));
    }
    if (roles != null) {
      m.put("akka.cluster.roles", roles);
    }
    if (parallelism != null) {
      m.put("gmpsim.worker.parallelism", parallelism);
    }
    return m;
  }

  /** Slots per node when not given: one per core. */
  public static int defaultParallelism() {
    return Runtime.getRuntime().availableProcessors();
  }
}
