package dev.gmpsim.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.ClusterSingletonSettings;
import akka.cluster.typed.Join;
import akka.cluster.typed.Leave;
import akka.cluster.typed.SingletonActor;
import dev.gmpsim.cluster.NodeConfig;
import dev.gmpsim.cluster.Worker;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a sweep on a cluster: an embedded one-node cluster using every core by default, or an
 * existing cluster joined at {@code join} (this process then only coordinates). The coordinator
 * singleton lives on this process, next to the output folder.
 */
public final class SweepRunner {
  /** How to run: {@code join} null for an embedded cluster. */
  public record Options(String join, int port, int parallelism, int maxAttempts, Duration resendAfter,
      Duration joinTimeout) {
    public static Options embedded(int parallelism) {
      return new Options(null, 0, parallelism, 3, Duration.ofMinutes(10), Duration.ofSeconds(20));
    }
  }

  /** The cluster could not be reached; the message is for the user. */
  public static final class Unreachable extends Exception {
    public Unreachable(String message) {
      super(message);
    }
  }

  private SweepRunner() {}

  /** How long the last sweep took from submission to its last result (not counting start-up). */
  private static volatile long lastSweepNanos;

  public static long lastSweepNanos() {
    return lastSweepNanos;
  }

  public static SweepCoordinator.Finished run(
      List<RunRequest> runs, ResultSink sink, Options o, Consumer<SweepCoordinator.Progress> onProgress)
      throws Unreachable, InterruptedException {
    return run(runs, sink, o, onProgress, notice -> {});
  }

  /** As above; {@code onNotice} hears of lost nodes and runs asked for again, one line each. */
  public static SweepCoordinator.Finished run(
      List<RunRequest> runs, ResultSink sink, Options o, Consumer<SweepCoordinator.Progress> onProgress,
      Consumer<SweepCoordinator.Notice> onNotice) throws Unreachable, InterruptedException {
    boolean embedded = o.join() == null;
    // The submitting process works too: its cores help, and the cluster keeps a majority of
    // workers (for sharding's state) when one other node dies.
    List<String> roles = List.of(NodeConfig.COORDINATOR, NodeConfig.WORKER);
    List<String> seeds = embedded ? List.of() : List.of(o.join());
    // The command line reports progress itself; Akka's warnings about peers going away are noise.
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), NodeConfig.SYSTEM,
            com.typesafe.config.ConfigFactory.parseString(
                    "akka.loglevel = " + System.getenv().getOrDefault("GMPSIM_LOGLEVEL", "ERROR"))
                .withFallback(NodeConfig.of("127.0.0.1", o.port(), seeds, roles, o.parallelism())));
    try {
      Cluster cluster = Cluster.get(system);
      if (embedded) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      Worker.start(system);
      awaitUp(cluster, o);
      ActorRef<SweepCoordinator.Command> coordinator =
          ClusterSingleton.get(system)
              .init(SingletonActor.of(SweepCoordinator.create(o.parallelism(), o.maxAttempts(), o.resendAfter()),
                      "sweep-coordinator")
                  .withSettings(ClusterSingletonSettings.create(system).withRole(NodeConfig.COORDINATOR)));
      BlockingQueue<SweepCoordinator.Event> events = new LinkedBlockingQueue<>();
      ActorRef<SweepCoordinator.Event> listener =
          system.systemActorOf(
              Behaviors.receiveMessage(e -> {
                events.add(e);
                return Behaviors.same();
              }),
              "sweep-listener", Props.empty());
      long t0 = System.nanoTime();
      coordinator.tell(new SweepCoordinator.Submit(runs, sink, listener));
      while (true) {
        SweepCoordinator.Event e = events.take();
        if (e instanceof SweepCoordinator.Progress p) {
          onProgress.accept(p);
        } else if (e instanceof SweepCoordinator.Notice n) {
          onNotice.accept(n);
        } else if (e instanceof SweepCoordinator.Finished f) {
          lastSweepNanos = System.nanoTime() - t0;
          cluster.manager().tell(Leave.create(cluster.selfMember().address()));
          return f;
        }
      }
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // Shutting down is best effort; the results are already written.
      }
    }
  }

  private static void awaitUp(Cluster cluster, Options o) throws Unreachable, InterruptedException {
    long deadline = System.nanoTime() + o.joinTimeout().toNanos();
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) {
        throw new Unreachable("cannot reach the cluster at " + o.join() + " (no answer in "
            + o.joinTimeout().toSeconds() + "s; is a node running there?)");
      }
      Thread.sleep(50);
    }
  }
}
