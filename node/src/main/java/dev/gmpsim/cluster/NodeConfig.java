package dev.gmpsim.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
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
    StringBuilder b = new StringBuilder();
    b.append("akka.actor.provider = cluster\n");
    // A node that is unreachable for gmpsim.cluster.down-after is downed (keep the majority),
    // and its shards, with the runs they held, move to the nodes left.
    b.append("akka.cluster.downing-provider-class = \"akka.cluster.sbr.SplitBrainResolverProvider\"\n");
    b.append("akka.cluster.split-brain-resolver.active-strategy = keep-majority\n");
    b.append("akka.cluster.split-brain-resolver.stable-after = ${gmpsim.cluster.down-after}\n");
    b.append("akka.cluster.jmx.multi-mbeans-in-same-jvm = on\n");
    b.append("akka.cluster.sharding.remember-entities = off\n");
    // Shard homes are kept in Distributed Data; a majority of the workers must take a change.
    // Without the min-cap (default 5) a cluster of up to 5 nodes needs all of them, so one
    // unreachable node would stop new shards from being placed until it is downed.
    b.append("akka.cluster.sharding.coordinator-state.write-majority-plus = 0\n");
    b.append("akka.cluster.sharding.coordinator-state.read-majority-plus = 0\n");
    b.append("akka.cluster.sharding.distributed-data.majority-min-cap = 1\n");
    b.append("akka.loglevel = WARNING\n");
    b.append("akka.log-dead-letters = off\n");
    b.append("akka.coordinated-shutdown.exit-jvm = off\n");
    b.append("akka.remote.artery.canonical.hostname = \"").append(host).append("\"\n");
    b.append("akka.remote.artery.canonical.port = ").append(port).append('\n');
    b.append("akka.cluster.roles = [")
        .append(roles.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", ")))
        .append("]\n");
    if (!seeds.isEmpty()) {
      b.append("akka.cluster.seed-nodes = [")
          .append(seeds.stream().map(s -> "\"akka://" + SYSTEM + "@" + s + "\"").collect(Collectors.joining(", ")))
          .append("]\n");
    }
    b.append("gmpsim.worker.parallelism = ").append(parallelism).append('\n');
    b.append("gmpsim.run-dispatchers {\n");
    for (int i = 0; i < parallelism; i++) {
      b.append("  d").append(i).append(" = ${gmpsim.run-dispatcher}\n");
    }
    b.append("}\n");
    return ConfigFactory.parseString(b.toString())
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** Slots per node when not given: one per core. */
  public static int defaultParallelism() {
    return Runtime.getRuntime().availableProcessors();
  }
}
