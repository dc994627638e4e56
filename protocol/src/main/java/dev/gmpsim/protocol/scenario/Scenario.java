package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulation: the runtime, the workload and how long to run it. A run is a pure function of
 * (scenario, seed, model version). See docs/scenarios.md for the file format.
 */
public record Scenario(
    String name,
    String description,
    List<String> include,
    RuntimeSpec runtime,
    @JsonDeserialize(using = NanosDeserializer.class) Long duration,
    @JsonDeserialize(using = NanosDeserializer.class) Long warmup,
    Long seed,
    @JsonDeserialize(using = NanosDeserializer.class) Long schedtrace,
    Map<String, Integer> semaphores,
    // Left out of the JSON when nothing is declared, so run ids of scenarios without it stay as they were.
    @com.fasterxml.jackson.annotation.JsonInclude(value = com.fasterxml.jackson.annotation.JsonInclude.Include.CUSTOM,
        valueFilter = Sync.IsNone.class) Sync sync,
    Map<String, List<Step>> steps,
    List<Group> workload,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY) List<Fault> faults,
    // Null when not declared, and then left out of the JSON: run ids of other scenarios stay.
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Heap heap,
    // Left out of the JSON when not declared, as sync is.
    @com.fasterxml.jackson.annotation.JsonInclude(value = com.fasterxml.jackson.annotation.JsonInclude.Include.CUSTOM,
        valueFilter = Machine.IsNone.class) Machine machine) {

  public Scenario(String name, String description, List<String> include, RuntimeSpec runtime, Long duration,
      Long warmup, Long seed, Long schedtrace, Map<String, Integer> semaphores, Sync sync,
      Map<String, List<Step>> steps, List<Group> workload, List<Fault> faults) {
    this(name, description, include, runtime, duration, warmup, seed, schedtrace, semaphores, sync, steps, workload,
        faults, null, null);
  }

  /** The heap the GC sees (defaults when the scenario declares none). */
  public Heap heapOrDefault() {
    return heap == null ? Heap.DEFAULTS : heap;
  }

  /** True when some step allocates: then the run has a garbage collector. */
  public boolean allocates() {
    List<Step> all = new ArrayList<>();
    workload.forEach(g -> all.addAll(g.steps()));
    steps.values().forEach(all::addAll);
    return anyAlloc(all);
  }

  private static boolean anyAlloc(List<Step> steps) {
    for (Step s : steps) {
      if (s instanceof Step.Alloc
          || (s instanceof Step.Loop l && anyAlloc(l.steps()))
          || (s instanceof Step.Spawn sp && anyAlloc(sp.program()))) {
        return true;
      }
    }
    return false;
  }

  public Scenario {
    name = name == null ? "scenario" : name;
    description = description == null ? "" : description;
    runtime = runtime == null ? RuntimeSpec.DEFAULTS : runtime;
    duration = duration == null ? 10 * Nanos.S : duration;
    FieldException.require(duration > 0, "duration", "duration must be positive");
    String tooLong = durationProblem(duration);
    FieldException.require(tooLong == null, "duration", "%s", tooLong);
    warmup = warmup == null ? 0L : warmup;
    FieldException.require(
        warmup >= 0 && warmup < duration, "warmup", "warmup must be >= 0 and shorter than duration");
    seed = seed == null ? 1L : seed;
    include = include == null ? List.of() : List.copyOf(include);
    FieldException.require(schedtrace == null || schedtrace > 0, "schedtrace", "schedtrace must be positive");
    String samples = schedtrace == null ? null : samplingProblem(duration, schedtrace);
    FieldException.require(samples == null, "schedtrace", "%s", samples);
    steps = steps == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(steps));
    semaphores = semaphores == null ? Map.of() : new TreeMap<>(semaphores);
    sync = sync == null ? Sync.NONE : sync;
    for (String c : sync.channels().keySet()) {
      FieldException.require(!semaphores.containsKey(c), "sync",
          "'%s' is both a semaphore and a channel: give them different names", c);
    }
    for (Map.Entry<String, Integer> e : semaphores.entrySet()) {
      FieldException.require(
          e.getValue() != null && e.getValue() >= 1, "semaphores",
          "semaphore '%s' needs a capacity of at least 1", e.getKey());
    }
    FieldException.require(
        workload != null && !workload.isEmpty(), "workload", "a scenario needs a workload");
    workload = List.copyOf(workload);
    faults = faults == null ? List.of() : List.copyOf(faults);
    machine = machine == null ? Machine.NONE : machine;
  }


  /** The longest run: the latency histograms hold values up to an hour. */
  public static final long MAX_DURATION = 3600 * Nanos.S;

  /** The most samples (schedtrace lines, time-series rows) a run takes; each is held in memory. */
  public static final long MAX_SAMPLES = 1_000_000;

  /** Why a run cannot last {@code ns}, or null if it can. */
  public static String durationProblem(long ns) {
    return ns > MAX_DURATION
        ? human(ns) + " is longer than 1h, the longest run GMPsim simulates"
        : null;
  }

  /** Why a run of {@code duration} cannot be sampled every {@code every} ns, or null if it can. */
  public static String samplingProblem(long duration, long every) {
    if (every <= 0 || duration / every <= MAX_SAMPLES) {
      return null;
    }
    long least = (duration + MAX_SAMPLES - 1) / MAX_SAMPLES;
    return Nanos.format(every) + " over " + human(duration) + " is " + duration / every
        + " samples, more than the " + MAX_SAMPLES + " a run holds; use " + Nanos.format(least) + " or more";
  }

  private static String human(long ns) {
    return ns % (3600 * Nanos.S) == 0 ? ns / (3600 * Nanos.S) + "h"
        : ns % (60 * Nanos.S) == 0 ? ns / (60 * Nanos.S) + "m" : Nanos.format(ns);
  }

  /** A problem found by {@link #problems()}: the key path it is at, and what is wrong. */
  public record Problem(String path, String message) {}

  /**
   * Cross-references the constructor cannot check because included files add to them: every
   * semaphore used is declared, every {@code call} names a step list, and no step list calls
   * itself.
   */
  public List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    for (Map.Entry<String, List<Step>> e : steps.entrySet()) {
      check(e.getValue(), "steps." + e.getKey(), out, new java.util.ArrayDeque<>(List.of(e.getKey())));
    }
    for (int i = 0; i < workload.size(); i++) {
      check(workload.get(i).steps(), "workload[" + i + "].steps", out, new java.util.ArrayDeque<>());
      startProblems(workload.get(i), "workload[" + i + "]", out);
    }
    int procs = runtime.gomaxprocs();
    for (int i = 0; i < faults.size(); i++) {
      Fault.Target t = faults.get(i).parsedTarget();
      if (t != null && t.actor().equals("P") && t.index() >= procs) {
        out.add(new Problem("faults[" + i + "].target",
            "P[" + t.index() + "] does not exist with gomaxprocs " + procs + " (P[0] to P[" + (procs - 1) + "], or P[*])"));
      }
    }
    environmentProblems(out);
    return out;
  }

  /** start-at inside the run; start-when names a declared flag or WaitGroup. */
  private void startProblems(Group g, String at, List<Problem> out) {
    if (g.startAt() != null && g.startAt() >= duration) {
      out.add(new Problem(at + ".start-at", "start-at: " + Nanos.format(g.startAt())
          + " is not inside the run (duration: " + Nanos.format(duration) + ")"));
    }
    Group.StartWhen w = g.startWhen();
    if (w != null && w.flag() != null && !sync.flags().contains(w.flag())) {
      out.add(new Problem(at + ".start-when.flag", "flag '" + w.flag() + "' is not declared under sync.flags"));
    }
    if (w != null && w.waitgroup() != null && !sync.waitgroups().containsKey(w.waitgroup())) {
      out.add(new Problem(at + ".start-when.waitgroup",
          "waitgroup '" + w.waitgroup() + "' is not declared under sync.waitgroups"));
    }
  }

  /** Environment faults: at: inside the run, and a call name some step makes. */
  private void environmentProblems(List<Problem> out) {
    java.util.Set<String> calls = new java.util.TreeSet<>();
    workload.forEach(g -> callNames(g.steps(), calls));
    steps.values().forEach(l -> callNames(l, calls));
    for (int i = 0; i < faults.size(); i++) {
      Fault f = faults.get(i);
      if (f.at() != null && f.at() >= duration) {
        out.add(new Problem("faults[" + i + "].at",
            "at: " + Nanos.format(f.at()) + " is not inside the run (duration: " + Nanos.format(duration) + ")"));
      }
      if (f.syscall() != null && !calls.contains(f.syscall())) {
        String hint = ScenarioLoader.nearest(f.syscall(), new ArrayList<>(calls));
        out.add(new Problem("faults[" + i + "].syscall",
            "no step makes a call named '" + f.syscall() + "'" + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                + "; the scenario's calls: " + (calls.isEmpty() ? "none" : String.join(", ", calls))));
      }
    }
  }

  /** The names of the syscalls (and "cgo") that steps make, as syscall faults name them. */
  private static void callNames(List<Step> list, java.util.Set<String> out) {
    for (Step s : list) {
      if (s instanceof Step.Syscall c) {
        out.add(c.name());
      } else if (s instanceof Step.SyscallBlock c) {
        out.add(c.name());
      } else if (s instanceof Step.Cgo) {
        out.add("cgo");
      } else if (s instanceof Step.FileRead) {
        out.addAll(List.of("openat", "fstat", "read", "close")); // os.ReadFile's calls (Programs.fileRead)
      } else if (s instanceof Step.Loop l) {
        callNames(l.steps(), out);
      } else if (s instanceof Step.Spawn sp) {
        callNames(sp.program(), out);
      }
    }
  }

  private void check(List<Step> list, String path, List<Problem> out, java.util.Deque<String> calling) {
    for (int i = 0; i < list.size(); i++) {
      Step s = list.get(i);
      String at = path + "[" + i + "]";
      String sem = s instanceof Step.Acquire a ? a.semaphore() : s instanceof Step.Release r ? r.semaphore() : null;
      String undeclared = sync.undeclared(s);
      if (sem != null && !semaphores.containsKey(sem)) {
        out.add(new Problem(at, "semaphore '" + sem + "' is not declared under semaphores"));
      } else if (undeclared != null) {
        out.add(new Problem(at, undeclared));
        if (s instanceof Step.Loop l) {
          check(l.steps(), at + ".loop.steps", out, calling);
        }
      } else if (s instanceof Step.Loop l) {
        check(l.steps(), at + ".loop.steps", out, calling);
      } else if (s instanceof Step.Spawn sp) {
        check(sp.program(), at + ".spawn", out, calling);
      } else if (s instanceof Step.Call c) {
        if (!steps.containsKey(c.name())) {
          out.add(new Problem(at, "no step list named '" + c.name() + "' under steps"));
        } else if (calling.contains(c.name())) {
          out.add(new Problem(at, "step list '" + c.name() + "' calls itself"));
        } else {
          calling.push(c.name());
          check(steps.get(c.name()), at, out, calling);
          calling.pop();
        }
      }
    }
  }

  /** This scenario with step lists and semaphores from included files added (its own win). */
  public Scenario withLibrary(Map<String, List<Step>> moreSteps, Map<String, Integer> moreSemaphores) {
    Map<String, List<Step>> st = new TreeMap<>(moreSteps);
    st.putAll(steps);
    Map<String, Integer> se = new TreeMap<>(moreSemaphores);
    se.putAll(semaphores);
    return new Scenario(name, description, include, runtime, duration, warmup, seed, schedtrace, se, sync, st, workload, faults, heap, machine);
  }

  /** True when any group uses a step that needs cgo (the binary is then cgo-linked). */
  public boolean usesCgo() {
    List<Step> all = new ArrayList<>();
    workload.forEach(g -> all.addAll(g.steps()));
    steps.values().forEach(all::addAll);
    return anyCgo(all);
  }

  private static boolean anyCgo(List<Step> steps) {
    for (Step s : steps) {
      if (s instanceof Step.Cgo
          || (s instanceof Step.Loop l && anyCgo(l.steps()))
          || (s instanceof Step.Spawn sp && anyCgo(sp.program()))) {
        return true;
      }
    }
    return false;
  }

  public Scenario withSeed(long newSeed) {
    return new Scenario(name, description, include, runtime, duration, warmup, newSeed, schedtrace, semaphores, sync, steps, workload, faults, heap, machine);
  }

  public Scenario withFaults(List<Fault> list) {
    return new Scenario(name, description, include, runtime, duration, warmup, seed, schedtrace, semaphores, sync, steps, workload, list, heap, machine);
  }

  public Scenario withMachine(Machine m) {
    return new Scenario(name, description, include, runtime, duration, warmup, seed, schedtrace, semaphores, sync, steps, workload, faults, heap, m);
  }

  public Scenario withRuntime(RuntimeSpec rt) {
    return new Scenario(name, description, include, rt, duration, warmup, seed, schedtrace, semaphores, sync, steps, workload, faults, heap, machine);
  }

  public Scenario withDuration(long ns) {
    // A warm-up that no longer fits is dropped, not squeezed to the last nanosecond: the figures
    // then cover the whole (shorter) run instead of an empty window.
    return new Scenario(name, description, include, runtime, ns, warmup < ns ? warmup : 0, seed, schedtrace, semaphores, sync, steps, workload, faults, heap, machine);
  }

}
