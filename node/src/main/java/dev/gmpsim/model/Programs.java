package dev.gmpsim.model;

import dev.gmpsim.protocol.scenario.Dist;
import dev.gmpsim.protocol.scenario.Group;
import dev.gmpsim.protocol.scenario.Scenario;
import dev.gmpsim.protocol.scenario.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles a scenario into the main goroutine's program: what runtime.main does before
 * main.main (the runtime's own goroutines, which start the first extra threads), then a
 * launcher per workload group, then {@code select {}}.
 */
final class Programs {
  private final RunContext run;

  /**
   * What the runtime's own goroutines wait for: they, and main in its closing select {}, are not
   * the workload's (checkdead in the model needs a workload goroutine asleep, see Liveness).
   */
  static final java.util.Set<String> RUNTIME_WAITS =
      java.util.Set.of("force gc (idle)", "GC sweep wait", "GC scavenge wait", "finalizer wait",
          GcController.WORKER_WAIT);

  private Programs(RunContext run) {
    this.run = run;
  }

  static Op[] mainProgram(RunContext run) {
    return new Programs(run).compileMain();
  }

  private Op[] compileMain() {
    Scenario sc = run.scenario;
    int initc = chan("runtime.gcenable", 2);
    for (Map.Entry<String, Integer> e : sc.semaphores().entrySet()) {
      chan(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Integer> e : sc.sync().channels().entrySet()) {
      chan(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Integer> e : sc.sync().waitgroups().entrySet()) {
      run.waitgroups.add(new WaitGroup(e.getKey(), e.getValue()));
      run.waitgroupIds.put(e.getKey(), run.waitgroups.size() - 1);
    }
    for (String f : sc.sync().flags()) {
      run.flagIds.put(f, run.flagIds.size());
    }
    run.flags = new boolean[run.flagIds.size()];
    for (int i = 0; i < run.flags.length; i++) {
      run.flagWaiters.add(new java.util.ArrayDeque<>());
    }
    for (Map.Entry<String, Integer> e : sc.sync().pipes().entrySet()) {
      run.pipeIds.put(e.getKey(), run.pipes.size());
      for (int i = 0; i < e.getValue(); i++) {
        run.pipes.add(new Pipe(e.getValue() == 1 ? e.getKey() : e.getKey() + "[" + i + "]"));
      }
    }
    List<Op> main = new ArrayList<>();
    // runtime.main locks the main goroutine to m0 during initialization ...
    main.add(new Op.Lock(false));
    // ... the runtime's init tasks start forcegchelper ...
    main.add(spawn(new Op.Block("force gc (idle)")));
    // ... gcenable starts the background sweeper and scavenger and waits for both ...
    Dist warm = Dist.constant(2_000);
    main.add(spawn(new Op.Compute(warm), new Op.Send(initc), new Op.Block("GC sweep wait")));
    main.add(spawn(new Op.Compute(warm), new Op.Send(initc), new Op.Block("GC scavenge wait")));
    main.add(new Op.Recv(initc));
    main.add(new Op.Recv(initc));
    // ... a cgo binary starts the template thread ...
    if (sc.runtime().cgo() || sc.usesCgo()) {
      main.add(new Op.StartTemplateThread());
    }
    // ... and package os's init sets finalizers on stdin/out/err, which starts the finalizer G.
    main.add(spawn(new Op.Block("finalizer wait")));
    // ... and unlocks before main.main.
    main.add(new Op.Unlock(false));
    for (Group g : sc.workload()) {
      Op[] launcher = launcher(g);
      run.groupOf.put(launcher, g.name() + " launcher");
      main.add(new Op.Spawn(launcher, false));
    }
    main.add(new Op.Block("select (no cases)"));
    return main.toArray(Op[]::new);
  }

  private Op.Spawn spawn(Op... ops) {
    run.groupOf.put(ops, "runtime");
    return new Op.Spawn(ops, false);
  }

  /** A goroutine that waits for the group's start and then starts its goroutines. */
  private Op[] launcher(Group g) {
    List<Op> ops = new ArrayList<>();
    // start-when first (the point another group reaches), then start (a delay from it) or start-at.
    if (g.startWhen() != null && g.startWhen().flag() != null) {
      ops.add(new Op.WaitFlag(run.flagIds.get(g.startWhen().flag())));
    } else if (g.startWhen() != null) {
      ops.add(new Op.Wait(run.waitgroupIds.get(g.startWhen().waitgroup())));
    }
    if (g.start() > 0) {
      ops.add(new Op.Sleep(Dist.constant(g.start())));
    }
    if (g.startAt() != null) {
      ops.add(new Op.SleepUntil(g.startAt()));
    }
    Op[] body = compile(g.steps());
    run.groupOf.put(body, g.name());
    switch (g.kind()) {
      case GOROUTINES -> ops.add(new Op.Loop(g.count(), new Op[] {new Op.Spawn(body, false, true)}));
      case CONNECTIONS -> {
        List<Op> conn = new ArrayList<>();
        conn.add(
            g.tick() != null
                ? new Op.NetRead(Dist.constant(0), true, null, null, g.tick())
                : g.interval() == null
                ? new Op.NetRead(g.think(), true)
                : new Op.NetRead(Dist.constant(0), true, g.interval(), null));
        conn.addAll(List.of(body));
        conn.add(new Op.RequestEnd());
        Op[] connProgram = {new Op.Loop(0, conn.toArray(Op[]::new))};
        run.groupOf.put(connProgram, g.name());
        ops.add(new Op.Loop(g.count(), new Op[] {new Op.Spawn(connProgram, false, true)}));
      }
      case ARRIVALS -> {
        run.arrivals.add(new Arrivals(g));
        int idx = run.arrivals.size() - 1;
        List<Op> request = new ArrayList<>(List.of(body));
        request.add(new Op.RequestEnd());
        Op[] requestProgram = request.toArray(Op[]::new);
        run.groupOf.put(requestProgram, g.name());
        Op[] acceptLoop = {
          new Op.Loop(0, new Op[] {new Op.Accept(idx), new Op.Spawn(requestProgram, true)})
        };
        run.groupOf.put(acceptLoop, g.name() + " accept loop");
        ops.add(new Op.Spawn(acceptLoop, false));
      }
    }
    return ops.toArray(Op[]::new);
  }

  private Op[] compile(List<Step> steps) {
    List<Op> out = new ArrayList<>(steps.size());
    for (Step s : steps) {
      out.add(compile(s));
    }
    return out.toArray(Op[]::new);
  }

  private Op compile(Step s) {
    if (s instanceof Step.Compute c) {
      return new Op.Compute(c.duration());
    } else if (s instanceof Step.RawSyscall r) {
      return new Op.RawSyscall(r.name(), r.duration());
    } else if (s instanceof Step.Syscall c) {
      return new Op.Syscall(c.name(), c.duration(), false, c.wakeup());
    } else if (s instanceof Step.SyscallBlock c) {
      return new Op.Syscall(c.name(), c.duration(), true, c.wakeup());
    } else if (s instanceof Step.Cgo c) {
      return new Op.Cgo(c.duration(), c.wakeup());
    } else if (s instanceof Step.Vdso v) {
      return new Op.Vdso(v.name());
    } else if (s instanceof Step.NetRead r) {
      return new Op.NetRead(r.delay(), false, r.every(), r.first());
    } else if (s instanceof Step.NetWrite) {
      return new Op.NetWrite();
    } else if (s instanceof Step.Sleep sl) {
      return new Op.Sleep(sl.duration());
    } else if (s instanceof Step.Acquire a) {
      return new Op.Send(run.chanIds.get(a.semaphore()));
    } else if (s instanceof Step.Release r) {
      return new Op.Recv(run.chanIds.get(r.semaphore()));
    } else if (s instanceof Step.LockOSThread) {
      return new Op.Lock(true);
    } else if (s instanceof Step.UnlockOSThread) {
      return new Op.Unlock(true);
    } else if (s instanceof Step.Spawn sp) {
      return new Op.Spawn(compile(sp.program()), false);
    } else if (s instanceof Step.Loop l) {
      return new Op.Loop(
          l.count(),
          compile(l.steps()),
          l.until() == null ? -1 : l.until(),
          l.forNs() == null ? -1 : l.forNs(),
          run.flags,
          l.untilSet() == null ? -1 : run.flagIds.get(l.untilSet()),
          true);
    } else if (s instanceof Step.PipeWrite x) {
      return new Op.PipeWrite(run.pipeIds.get(x.pipe()), pipes(x.pipe()));
    } else if (s instanceof Step.PipeRead x) {
      return new Op.PipeRead(run.pipeIds.get(x.pipe()), pipes(x.pipe()), x.deadline(), x.onError());
    } else if (s instanceof Step.PipeClose x) {
      return new Op.PipeClose(run.pipeIds.get(x.pipe()), pipes(x.pipe()), x.end() == Step.End.WRITE);
    } else if (s instanceof Step.Send x) {
      return new Op.Send(run.chanIds.get(x.channel()));
    } else if (s instanceof Step.Recv x) {
      return new Op.Recv(run.chanIds.get(x.channel()));
    } else if (s instanceof Step.Close x) {
      return new Op.Close(run.chanIds.get(x.channel()));
    } else if (s instanceof Step.Done x) {
      return new Op.Done(run.waitgroupIds.get(x.waitgroup()));
    } else if (s instanceof Step.Wait x) {
      return new Op.Wait(run.waitgroupIds.get(x.waitgroup()));
    } else if (s instanceof Step.Set x) {
      return new Op.Set(run.flagIds.get(x.flag()));
    } else if (s instanceof Step.Gosched) {
      return new Op.Gosched();
    } else if (s instanceof Step.Block) {
      return new Op.Block("select (no cases)");
    } else if (s instanceof Step.Exit) {
      return new Op.Exit();
    } else if (s instanceof Step.Alloc a) {
      return new Op.Alloc(a.bytes());
    } else if (s instanceof Step.RequestStart) {
      return new Op.RequestStart();
    } else if (s instanceof Step.RequestEnd) {
      return new Op.RequestEnd();
    } else if (s instanceof Step.FileRead f) {
      return new Op.Loop(1, fileRead(f));
    } else if (s instanceof Step.Call c) {
      // A named step list is inlined where it is called (the loader rejects cycles).
      return new Op.Loop(1, compile(run.scenario.steps().get(c.name())));
    }
    throw new IllegalStateException("unknown step " + s);
  }

  /** os.ReadFile as the syscalls it makes on Linux. */
  private static Op[] fileRead(Step.FileRead f) {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op.Syscall("openat", f.open(), false));
    ops.add(new Op.Syscall("fstat", Dist.constant(1_000), false));
    Dist read = f.cacheHit() >= 1 ? f.hot() : new Dist.Mix(f.cacheHit(), f.hot(), f.cold());
    if (f.dataReads() > 0) {
      ops.add(new Op.Loop((int) Math.min(Integer.MAX_VALUE, f.dataReads()),
          new Op[] {new Op.Syscall("read", read, false)}));
    }
    ops.add(new Op.Syscall("read", Dist.constant(1_000), false)); // EOF
    ops.add(new Op.Syscall("close", f.close(), false));
    return ops.toArray(Op[]::new);
  }

  private int pipes(String name) {
    return run.scenario.sync().pipes().get(name);
  }

  private int chan(String name, int capacity) {
    run.chans.add(new Chan(name, capacity));
    run.chanIds.put(name, run.chans.size() - 1);
    return run.chans.size() - 1;
  }
}
