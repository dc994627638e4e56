package dev.gmpsim.run;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gmpsim.model.RunContext;
import dev.gmpsim.protocol.result.RunOptions;
import dev.gmpsim.protocol.result.RunResult;
import dev.gmpsim.protocol.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One scenario over many seeds, {@code parallelism} runs at a time, each on its own
 * single-threaded dispatcher. A run depends only on its seed, so the results do not depend on
 * how many run at once.
 */
public final class SeedRuns {
  private SeedRuns() {}

  /** Results in seed order: {@code seeds[i]} gave {@code results.get(i)}. */
  public static List<RunResult> run(
      Scenario scenario, RunOptions base, long[] seeds, int parallelism, Consumer<RunResult> done) {
    int slots = Math.max(1, Math.min(parallelism, seeds.length));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "gmpsim", config(slots));
    try {
      List<CompletableFuture<RunResult>> results = new ArrayList<>();
      for (int i = 0; i < seeds.length; i++) {
        results.add(new CompletableFuture<>());
      }
      List<CompletableFuture<Void>> lanes = new ArrayList<>();
      for (int slot = 0; slot < slots; slot++) {
        // Slot k runs seeds k, k+slots, k+2*slots, ... one after the other.
        CompletableFuture<Void> lane = CompletableFuture.completedFuture(null);
        for (int i = slot; i < seeds.length; i += slots) {
          int idx = i;
          String dispatcher = "gmpsim.run-dispatchers.d" + slot;
          lane = lane.thenCompose(
              v -> Simulation.start(system, scenario.withSeed(seeds[idx]), base.withSeed(seeds[idx]),
                      dispatcher, RunContext.ActorWrapper.NONE)
                  .toCompletableFuture()
                  .thenAccept(r -> {
                    done.accept(r);
                    results.get(idx).complete(r);
                  }));
        }
        lanes.add(lane);
      }
      CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
      List<RunResult> out = new ArrayList<>();
      for (CompletableFuture<RunResult> f : results) {
        out.add(f.join());
      }
      return out;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  private static Config config(int slots) {
    StringBuilder b = new StringBuilder("gmpsim.run-dispatchers {\n");
    for (int i = 0; i < slots; i++) {
      b.append("  d").append(i).append(" = ${gmpsim.run-dispatcher}\n");
    }
    b.append("}\n");
    return ConfigFactory.parseString(b.toString()).withFallback(Simulation.quietConfig()).resolve();
  }
}
