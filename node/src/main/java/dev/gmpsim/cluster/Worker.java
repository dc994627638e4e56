package dev.gmpsim.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import java.time.Duration;

/** What makes a cluster node a worker: its run slots and the run entities' shard region. */
public final class Worker {
  private Worker() {}

  /** Starts the worker parts on {@code system} (which must have the worker role). */
  public static void start(ActorSystem<?> system) {
    int parallelism = system.settings().config().getInt("gmpsim.worker.parallelism");
    Duration timeout = system.settings().config().getDuration("gmpsim.worker.run-timeout");
    ActorRef<RunSlots.Command> slots =
        system.systemActorOf(RunSlots.create(parallelism, timeout), "run-slots", Props.empty());
    RunEntity.initSharding(system, slots, NodeConfig.WORKER);
  }

  /** On a node without the worker role: only a proxy to the run entities on the workers. */
  public static void startProxy(ActorSystem<?> system) {
    RunEntity.initSharding(system, null, NodeConfig.WORKER);
  }
}
