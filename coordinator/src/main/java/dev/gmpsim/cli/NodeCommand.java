package dev.gmpsim.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import dev.gmpsim.cluster.NodeConfig;
import dev.gmpsim.cluster.Worker;
import java.util.Arrays;
import java.util.List;
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
  @Option(names = "--port", required = true, description = "Cluster port (Akka remoting), 0-65535; 0: any free port.")
  int port;

  @Option(names = "--host", description = "Address to listen on and advertise (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT",
      description = "Nodes to join (default: this node starts a new cluster).")
  List<String> seeds = List.of();

  @Option(names = "--parallelism", description = "Runs at once on this node (default: cores).")
  Integer parallelism;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    for (String s : seeds) {
      if (!s.matches("[^:\\s]+:\\d{1,5}")) {
        throw new UserError("--seed-nodes: '" + s + "' is not HOST:PORT");
      }
    }
    int p = parallelism != null ? parallelism : NodeConfig.defaultParallelism();
    // A node with no slots would take runs and never finish them.
    if (p < 1) {
      throw new UserError("--parallelism must be at least 1, got " + p);
    }
    Listen.check("--port", host, port);
    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(Behaviors.empty(), NodeConfig.SYSTEM,
          NodeConfig.of(host, port, seeds, Arrays.asList(NodeConfig.WORKER), p));
    } catch (RuntimeException e) {
      UserError bind = Listen.bindFailed(e, host, port);
      if (bind != null) {
        throw bind;
      }
      throw e;
    }
    Cluster cluster = Cluster.get(system);
    if (seeds.isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    Worker.start(system);
    spec.commandLine().getOut().printf("gmpsim node %s up: worker, %d runs at once%n", cluster.selfMember().address(), p);
    spec.commandLine().getOut().flush();
    Runtime.getRuntime().addShutdownHook(new Thread(system::terminate));
    system.getWhenTerminated().toCompletableFuture().join();
    return ExitCodes.OK;
  }
}
