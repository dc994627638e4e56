package dev.gmpsim.run;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A one-thread executor for a run's dispatcher. A run's actors hand messages to each other
 * through the clock one at a time, so almost every task is submitted by the executor's own
 * thread: those go to a plain deque with no locking and no wake-up. Tasks from other threads
 * (a run being started, the system's scheduler) go through a concurrent queue.
 *
 * <p>Configured as {@code executor = "dev.gmpsim.run.RunLoopExecutor$Configurator"}.
 */
public final class RunLoopExecutor extends AbstractExecutorService {
  private final ArrayDeque<Runnable> local = new ArrayDeque<>(64);
  private final ConcurrentLinkedQueue<Runnable> external = new ConcurrentLinkedQueue<>();
  private final Thread worker;
  private volatile boolean shutdown;
  private volatile boolean parked;

  RunLoopExecutor(ThreadFactory factory, String dispatcherId) {
    this.worker = factory.newThread(this::loop);
    // Akka's factory names it "<system>-<n>" only: the dispatcher's id makes it findable
    // (gmpsim bench counts the bytes this thread allocates) and readable in thread dumps.
    worker.setName(worker.getName() + "-" + dispatcherId);
    worker.start();
  }

  @Override
  public void execute(Runnable task) {
    if (Thread.currentThread() == worker) {
      local.addLast(task);
      return;
    }
    external.add(task);
    if (parked) {
      LockSupport.unpark(worker);
    }
  }

  private void loop() {
    while (!shutdown || !external.isEmpty() || !local.isEmpty()) {
      Runnable r = local.pollFirst();
      if (r == null) {
        r = external.poll();
      }
      if (r == null) {
        parked = true;
        if (external.isEmpty() && !shutdown) {
          LockSupport.parkNanos(this, 10_000_000L);
        }
        parked = false;
        continue;
      }
      try {
        r.run();
      } catch (Throwable t) {
        Thread.UncaughtExceptionHandler h = worker.getUncaughtExceptionHandler();
        if (h != null) {
          h.uncaughtException(worker, t);
        }
      }
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
    LockSupport.unpark(worker);
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown();
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && !worker.isAlive();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    worker.join(unit.toMillis(timeout));
    return !worker.isAlive();
  }

  /** Plugs the executor into Akka's dispatcher configuration. */
  public static final class Configurator extends ExecutorServiceConfigurator {
    public Configurator(Config config, DispatcherPrerequisites prerequisites) {
      super(config, prerequisites);
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory factory) {
      return () -> new RunLoopExecutor(factory, id);
    }
  }
}
