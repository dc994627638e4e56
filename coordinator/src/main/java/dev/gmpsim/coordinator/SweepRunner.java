package dev.gmpsim.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.Leave;
import dev.gmpsim.cluster.NodeConfig;
import dev.gmpsim.cluster.Worker;
import dev.gmpsim.protocol.sweep.RunRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
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
    try (Session s = start(o)) {
      return s.run(runs, sink, onProgress, onNotice);
    }
  }

  /**
   * Starts this process's cluster node and waits until it is up in the cluster (embedded, or
   * joined at {@code o.join()} within {@code o.joinTimeout()}), so that a sweep can fail to start
   * before anything is written.
   */
  public static Session start(Options o) throws Unreachable, InterruptedException {
    boolean embedded = o.join() == null;
    if (!embedded) {
      probe(o.join(), o.joinTimeout());
    }
    if (o.port() != 0) {
      checkFree(o.port());
    }
    // The submitting process works too: its cores help, and the cluster keeps a majority of
    // workers (for sharding's state) when one other node dies.
    List<String> roles = List.of(NodeConfig.COORDINATOR, NodeConfig.WORKER);
    List<String> seeds = embedded ? List.of() : List.of(o.join());
    // The command line reports progress itself; Akka's warnings about peers going away are noise.
    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(Behaviors.empty(), NodeConfig.SYSTEM,
          com.typesafe.config.ConfigFactory.parseString(
                  "akka.loglevel = " + System.getenv().getOrDefault("GMPSIM_LOGLEVEL", "ERROR"))
              // The address to advertise: GMPSIM_HOST (a pod IP) or 127.0.0.1, as for gmpsim node.
              .withFallback(NodeConfig.of(null, o.port(), seeds, roles, o.parallelism())));
    } catch (RuntimeException e) {
      throw new Unreachable("cannot start this process's cluster node on port " + o.port() + " (" + e.getMessage() + ")");
    }
    Session s = new Session(system, o);
    try {
      Cluster cluster = Cluster.get(system);
      if (embedded) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      Worker.start(system);
      awaitUp(cluster, o);
      return s;
    } catch (Unreachable | InterruptedException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** This process's node, up in the cluster; {@link #run} a sweep on it, then close it. */
  public static final class Session implements AutoCloseable {
    private final ActorSystem<Void> system;
    private final Options o;

    private Session(ActorSystem<Void> system, Options o) {
      this.system = system;
      this.o = o;
    }

    public SweepCoordinator.Finished run(
        List<RunRequest> runs, ResultSink sink, Consumer<SweepCoordinator.Progress> onProgress,
        Consumer<SweepCoordinator.Notice> onNotice) throws InterruptedException {
      Cluster cluster = Cluster.get(system);
      // Each submitting process coordinates its own sweep, next to its output folder: several
      // sweeps can share one long-running cluster, each with every run exactly once.
      ActorRef<SweepCoordinator.Command> coordinator =
          system.systemActorOf(SweepCoordinator.create(o.parallelism(), o.maxAttempts(), o.resendAfter()),
              "sweep-coordinator", Props.empty());
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
    }

    @Override
    public void close() {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // Shutting down is best effort; the results are already written.
      }
    }
  }

  /** Fails fast, with one line, when nothing listens at {@code hostPort} (Akka would only retry and log). */
  static void probe(String hostPort, Duration timeout) throws Unreachable {
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon);
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new Unreachable("cannot reach the cluster at " + hostPort + ": unknown host '" + host + "'");
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), (int) Math.min(timeout.toMillis(), 5_000));
    } catch (IOException e) {
      throw new Unreachable("cannot reach the cluster at " + hostPort + ": "
          + (e instanceof java.net.ConnectException ? "nothing listens there (is a node running?)" : e.getMessage()));
    }
  }

  private static void checkFree(int port) throws Unreachable {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new Unreachable("--port " + port + ": cannot listen there (" + e.getMessage() + ")");
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
