package dev.gmpsim.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import dev.gmpsim.cluster.NodeConfig;
import dev.gmpsim.cluster.Worker;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import com.typesafe.config.Config;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** gmpsim node: a worker node of a GMPsim cluster. Runs until stopped. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Start a worker node that runs sweeps' runs; the first node needs no --seed-nodes.")
final class NodeCommand implements Callable<Integer> {
  @Option(names = "--port", description = "Cluster port (Akka remoting), 0-65535; 0: any free port "
      + "(default: GMPSIM_PORT, else 25520).")
  Integer port;

  @Option(names = "--host", description = "Address to listen on and advertise (default: GMPSIM_HOST, else 127.0.0.1).")
  String host;

  @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT",
      description = "Nodes to join (default: this node starts a new cluster, or, with --config kubernetes, "
          + "finds the others through the Kubernetes API).")
  List<String> seeds = List.of();

  @Option(names = "--parallelism", description = "Runs at once on this node (default: GMPSIM_PARALLELISM, else cores).")
  Integer parallelism;

  @Option(names = "--config", paramLabel = "NAME",
      description = "Configuration file from the jar: node (default) or kubernetes (Akka Management, "
          + "cluster bootstrap through the Kubernetes API, exit on shutdown).")
  String config = "node";

  @Option(names = "--management-port", paramLabel = "PORT",
      description = "Start Akka Management (health checks /alive and /ready) on this port "
          + "(default: off for node, GMPSIM_MANAGEMENT_PORT or 8558 for kubernetes).")
  Integer managementPort;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    for (String s : seeds) {
      if (!s.matches("[^:\\s]+:\\d{1,5}")) {
        throw new UserError("--seed-nodes: '" + s + "' is not HOST:PORT");
      }
    }
    if (host != null && host.isBlank()) {
      throw new UserError("--host must name an address, got an empty string (in a pod: set GMPSIM_HOST to its IP)");
    }
    if (!config.equals("node") && !config.equals("kubernetes")) {
      throw new UserError("--config must be node or kubernetes, got '" + config + "'");
    }
    Integer p = parallelism != null ? parallelism : envInt("GMPSIM_PARALLELISM");
    if (p == null) {
      p = NodeConfig.defaultParallelism();
    }
    // A node with no slots would take runs and never finish them.
    if (p < 1) {
      throw new UserError("--parallelism must be at least 1, got " + p);
    }
    Map<String, Object> flags = NodeConfig.flags(host, port, seeds, Arrays.asList(NodeConfig.WORKER), p);
    if (managementPort != null) {
      if (managementPort < 0 || managementPort > 65535) {
        throw new UserError("--management-port must be 0..65535, got " + managementPort);
      }
      flags.put("akka.management.http.port", managementPort);
      flags.put("gmpsim.node.management", true);
    }
    Config cfg;
    try {
      cfg = NodeConfig.load(config + ".conf", flags);
    } catch (com.typesafe.config.ConfigException e) {
      throw new UserError("configuration: " + e.getMessage());
    }
    String h = cfg.getString("akka.remote.artery.canonical.hostname");
    int port = cfg.getInt("akka.remote.artery.canonical.port");
    boolean management = cfg.getBoolean("gmpsim.node.management");
    boolean bootstrap = cfg.getBoolean("gmpsim.node.bootstrap") && seeds.isEmpty();
    Listen.check("--port", h, port);
    if (management) {
      Listen.check("--management-port", cfg.getString("akka.management.http.hostname"), cfg.getInt("akka.management.http.port"));
    }
    if (bootstrap) {
      KubernetesDiscovery.check(cfg);
    }
    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(Behaviors.empty(), NodeConfig.SYSTEM, cfg);
    } catch (RuntimeException e) {
      UserError bind = Listen.bindFailed(e, h, port);
      if (bind != null) {
        throw bind;
      }
      throw e;
    }
    Cluster cluster = Cluster.get(system);
    if (management) {
      akka.management.javadsl.AkkaManagement.get(system).start().toCompletableFuture().join();
    }
    if (bootstrap) {
      akka.management.cluster.bootstrap.ClusterBootstrap.get(system).start();
    } else if (seeds.isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    Worker.start(system);
    spec.commandLine().getOut().printf("gmpsim node %s up: worker, %d runs at once%s%s%n", cluster.selfMember().address(), p,
        management ? ", management on port " + cfg.getInt("akka.management.http.port") : "",
        bootstrap ? ", joining through cluster bootstrap" : "");
    spec.commandLine().getOut().flush();
    // SIGTERM (the kubelet, local-cluster.sh stop) is a planned stop: coordinated shutdown leaves
    // the cluster, hands this node's shards over, and the process exits 0, not 143.
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig ->
        akka.actor.CoordinatedShutdown.get(system).run(akka.actor.CoordinatedShutdown.jvmExitReason()));
    system.getWhenTerminated().toCompletableFuture().join();
    spec.commandLine().getOut().println("gmpsim node " + cluster.selfMember().address() + " left the cluster");
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  private static Integer envInt(String name) throws UserError {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new UserError(name + " must be a whole number, got '" + v + "'");
    }
  }
}
