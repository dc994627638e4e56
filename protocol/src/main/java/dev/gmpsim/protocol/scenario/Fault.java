package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault injected into a run (a {@code faults:} entry; docs/faults.md).
 *
 * <ul>
 *   <li>{@code delay}, {@code drop}, {@code duplicate}, {@code reorder}: a message of type {@code message} to
 *       {@code target}, handled in [{@code from}, {@code until}), with {@code probability} or
 *       {@code every} Nth one, is handled {@code by} later, lost, or handled twice; at most
 *       {@code times} times if given. {@code reorder}: such a message is handled after the next
 *       message to the same actor instead of before it (never, if no other message comes).
 *   <li>{@code stall}: every message to {@code target} (of type {@code message}, if given)
 *       handled in [{@code from}, {@code until}) waits until {@code until}, then they arrive in
 *       order (an actor descheduled by the OS; the netpoller deaf to readiness: FdReady).
 *   <li>{@code clone-fails}: from {@code from} on, and once the process has {@code threads}
 *       threads, creating another thread fails with EAGAIN: the run ends with the runtime's
 *       {@code fatal: runtime: failed to create new OS thread (have N already; errno=11)}.
 *   <li>{@code crash}: actor {@code target} fails at {@code at}; Akka's supervision
 *       ({@code supervision}: restart, its state lost, or stop, messages to it dead letters).
 *   <li>{@code pause}: P {@code target} runs no Go code in [{@code from}, {@code until}).
 * </ul>
 *
 * <p>Environment faults (syscalls, GOMAXPROCS, the thread limit):
 *
 * <ul>
 *   <li>{@code syscall-hang}: a call named {@code syscall} ({@code cgo}: a cgo call) made in
 *       [{@code from}, {@code until}) never returns; its thread is lost.
 *   <li>{@code syscall-latency}: such a call takes {@code by} longer (added to its own length).
 *   <li>{@code gomaxprocs}: runtime.GOMAXPROCS({@code procs}) at {@code at}: a stop-the-world, then
 *       procresize.
 *   <li>{@code max-threads}: debug.SetMaxThreads({@code threads}) at {@code at}.
 * </ul>
 */
public record Fault(
    String name,
    Kind kind,
    String target,
    String message,
    @JsonDeserialize(using = NanosDeserializer.class) Long from,
    @JsonDeserialize(using = NanosDeserializer.class) Long until,
    Double probability,
    Integer every,
    Dist by,
    Integer threads,
    Integer times,
    // Environment faults (syscall-hang, syscall-latency, gomaxprocs, max-threads); at: also crash.
    String syscall,
    @JsonDeserialize(using = NanosDeserializer.class) Long at,
    Integer procs,
    // --- actor faults: crash, pause (issue 8) ---
    Supervision supervision) {

  /** What becomes of a crashed actor, as Akka's SupervisorStrategy says it. */
  public enum Supervision {
    /** Behaviors.supervise(...).onFailure(SupervisorStrategy.restart()): a new actor, its state lost. */
    RESTART,
    /** SupervisorStrategy.stop(): the actor is gone, messages to it are dead letters. */
    STOP;

    @JsonCreator
    public static Supervision of(String s) {
      return FieldException.choice(Supervision.class, "supervision", s);
    }

    @JsonValue
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Kind {
    DELAY,
    DROP,
    DUPLICATE,
    REORDER,
    STALL,
    CLONE_FAILS,
    // Environment faults.
    SYSCALL_HANG,
    SYSCALL_LATENCY,
    GOMAXPROCS,
    MAX_THREADS,
    // --- actor faults (issue 8) ---
    CRASH,
    PAUSE;

    @JsonCreator
    public static Kind of(String s) {
      return FieldException.choice(Kind.class, "fault kind", s);
    }

    @JsonValue
    public String yaml() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A fault on messages (matched by target and message type). */
    public boolean onMessages() {
      return this == DELAY || this == DROP || this == DUPLICATE || this == REORDER;
    }

    /** A fault on the syscalls and cgo calls of one name. */
    public boolean onCalls() {
      return this == SYSCALL_HANG || this == SYSCALL_LATENCY;
    }

    /** A fault that happens once, at a time (a call the program makes). */
    public boolean atATime() {
      return this == GOMAXPROCS || this == MAX_THREADS;
    }

    /** Not a message fault: about the process or the kernel (no target). */
    public boolean environment() {
      return this == CLONE_FAILS || onCalls() || atATime();
    }
  }

  /**
   * The messages each actor handles, by simple class name (the model's message records); a
   * node test checks this table against the model's classes.
   */
  public static final Map<String, List<String>> MESSAGES = messages();

  private static Map<String, List<String>> messages() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("P", List.of("Acquire", "Schedule", "RunqPut", "EnterSyscall", "ExitSyscall", "Retake",
        "Preempt", "StealRequest", "Stolen", "Work", "Polled", "TimersRun", "Drop", "Destroy", "Init",
        "GcStop", "StwStop", "StwRestart", "OnCpu"));
    m.put("M", List.of("Start", "Execute", "Resume", "StepDone", "Preempt", "Stopped", "LockedWait",
        "Exit", "StwPreempt", "WorldStarted", "OnCpu"));
    m.put("sched", List.of("Handoff", "WakeP", "ResetSpinning", "StartTemplateThread",
        "GlobrunqPut", "GlobrunqGet", "Inject", "Polled", "ReleaseP", "Stopm", "ExitSyscallSlow",
        "NetpollReturned", "Ready", "MExit", "SysmonNetpoll", "SetMaxThreads", "Procresize",
        "PDestroyed", "StopTheWorld", "PStopped", "StartTheWorld"));
    m.put("sysmon", List.of("Wake", "RetakeResult", "Tick", "OnCpu"));
    m.put("netpoller", List.of("Park", "AddTimer", "Poll", "PollForSysmon", "RunTimers",
        "WakeNetPoller", "BlockingPoll", "FdReady", "TimerFire", "PollTimeout", "PollReturn",
        "MoveTimers", "PipeReady", "PipeDeadline", "PipeDeadlineFire"));
    return java.util.Collections.unmodifiableMap(m);
  }

  private static final Pattern INDEXED = Pattern.compile("(P|M)\\[(\\*|\\d{1,9})\\]");

  /** {@link Target#index()} of {@code M[locked]}: whichever M has a goroutine locked to it. */
  public static final int LOCKED = -2;

  /**
   * A parsed target: the actor kind ("P", "M", "sched", "sysmon", "netpoller"), its index, -1
   * for all of the kind, or {@link #LOCKED} for {@code M[locked]}.
   */
  public record Target(String actor, int index) {
    @Override
    public String toString() {
      return actor.length() > 1 ? actor
          : actor + "[" + (index == LOCKED ? "locked" : index < 0 ? "*" : String.valueOf(index)) + "]";
    }

    /** True if this target may name the actor {@code actor} with index {@code i} (M[locked]: any M). */
    public boolean matches(String kind, int i) {
      return actor.equals(kind) && (index < 0 || index == i);
    }
  }

  /** Parses {@code sysmon}, {@code sched}, {@code netpoller}, {@code P[2]}, {@code P[*]}, {@code M[*]}. */
  public static Target target(String text) {
    String t = text.trim();
    if (t.equals("sysmon") || t.equals("sched") || t.equals("netpoller")) {
      return new Target(t, -1);
    }
    if (t.equals("M[locked]")) {
      return new Target("M", LOCKED);
    }
    Matcher m = INDEXED.matcher(t);
    if (m.matches()) {
      return new Target(m.group(1), m.group(2).equals("*") ? -1 : Integer.parseInt(m.group(2)));
    }
    List<Object> names = List.of("sysmon", "sched", "netpoller", "P[*]", "M[*]", "P[0]", "M[0]", "M[locked]");
    String hint = ScenarioLoader.nearest(t, names);
    throw new FieldException("target", "'" + text + "' is not an actor"
        + (hint == null ? "" : " (did you mean '" + hint + "'?)")
        + "; one of: sysmon, sched, netpoller, P[n], P[*], M[n], M[*], M[locked]");
  }

  public Fault {
    FieldException.require(kind != null, "kind", "a fault needs a kind: one of %s", YamlShapes.choices(Kind.class));
    // --- actor faults: crash, pause ---
    if (kind == Kind.CRASH || kind == Kind.PAUSE) {
      checkActorFault(kind, target, message, from, until, at, supervision);
      FieldException.require(threads == null, "threads", "threads is for clone-fails faults");
    } else {
      FieldException.require(supervision == null, "supervision", "supervision is for crash faults");
    }
    // --- end of actor faults ---
    from = from == null ? 0L : from;
    until = until == null ? Long.MAX_VALUE : until;
    FieldException.require(
        until > from, "until", "the window ends (until: %s) before it starts (from: %s)",
        Nanos.format(until), Nanos.format(from));
    if (kind.onCalls() || kind.atATime()) {
      checkEnvironment(kind, target, message, from, until, by, threads, syscall, at, procs);
    } else if (kind == Kind.CLONE_FAILS) {
      FieldException.require(target == null, "target", "clone-fails is about the process, not an actor: leave target out");
      FieldException.require(message == null, "message", "clone-fails takes no message");
      FieldException.require(until == Long.MAX_VALUE, "until", "clone-fails lasts to the end of the run (the first failure ends it)");
      FieldException.require(threads == null || threads >= 1, "threads", "threads must be at least 1, got %d", threads);
    } else if (kind != Kind.CRASH && kind != Kind.PAUSE) {
      FieldException.require(target != null, "target", "a %s fault needs a target: sysmon, sched, netpoller, P[n], P[*], M[n], M[*] or M[locked]", kind.yaml());
      Target t = target(target);
      FieldException.require(threads == null, "threads", "threads is for clone-fails and max-threads faults");
      if (kind == Kind.STALL) {
        FieldException.require(until != Long.MAX_VALUE, "until", "a stall needs until: (when the actor runs again)");
      }
      if (message != null) {
        checkMessage(t, message);
      }
    }
    FieldException.require(
        probability == null || (probability >= 0 && probability <= 1), "probability",
        "probability must be between 0 and 1, got %s", probability);
    FieldException.require(every == null || every >= 1, "every", "every must be at least 1, got %d", every);
    FieldException.require(times == null || times >= 1, "times", "times must be at least 1, got %d", times);
    boolean counted = kind.onMessages() || kind.onCalls();
    FieldException.require(times == null || counted, "times", "times is for delay, drop, duplicate, reorder, syscall-hang and syscall-latency faults");
    FieldException.require(probability == null || every == null, "every", "give probability or every, not both");
    FieldException.require(
        counted || (probability == null && every == null), probability != null ? "probability" : "every",
        "probability and every are for delay, drop, duplicate, reorder, syscall-hang and syscall-latency faults");
    if (kind == Kind.DELAY || kind == Kind.SYSCALL_LATENCY) {
      FieldException.require(by != null, "by", "a %s fault needs by: (a duration or distribution, e.g. 2ms or exp(1ms))", kind.yaml());
    } else {
      FieldException.require(by == null, "by", "by is for delay and syscall-latency faults");
    }
    if (!kind.onCalls()) {
      FieldException.require(syscall == null, "syscall", "syscall is for syscall-hang and syscall-latency faults");
    }
    if (!kind.atATime()) {
      FieldException.require(at == null || kind == Kind.CRASH, "at",
          "at is for crash, gomaxprocs and max-threads faults (the others take from: and until:)");
      FieldException.require(procs == null, "procs", "procs is for gomaxprocs faults");
    }
  }

  /** The fields of the environment faults: syscall-hang, syscall-latency, gomaxprocs, max-threads. */
  private static void checkEnvironment(
      Kind kind, String target, String message, long from, long until, Dist by, Integer threads,
      String syscall, Long at, Integer procs) {
    String what = kind.onCalls() ? "is about a kind of call" : "is a call the program makes";
    FieldException.require(target == null, "target", "%s %s, not an actor: leave target out", kind.yaml(), what);
    FieldException.require(message == null, "message", "%s takes no message", kind.yaml());
    if (kind.onCalls()) {
      FieldException.require(syscall != null && !syscall.isBlank(), "syscall",
          "a %s fault needs syscall: (a syscall's name, e.g. read, or cgo for cgo calls)", kind.yaml());
      FieldException.require(threads == null, "threads", "threads is for clone-fails and max-threads faults");
      FieldException.require(procs == null, "procs", "procs is for gomaxprocs faults");
      return;
    }
    FieldException.require(from == 0 && until == Long.MAX_VALUE, from != 0 ? "from" : "until",
        "%s happens once: give at:, not from: or until:", kind.yaml());
    FieldException.require(at != null, "at", "a %s fault needs at: (when the program calls it)", kind.yaml());
    FieldException.require(at >= 0, "at", "at must not be negative, got %s", Nanos.format(at));
    if (kind == Kind.GOMAXPROCS) {
      FieldException.require(procs != null, "procs", "a gomaxprocs fault needs procs: (the new GOMAXPROCS)");
      FieldException.require(procs >= 1 && procs <= MAX_PROCS, "procs", "procs must be between 1 and %d, got %d", MAX_PROCS, procs);
      FieldException.require(threads == null, "threads", "threads is for clone-fails and max-threads faults");
    } else {
      FieldException.require(threads != null, "threads", "a max-threads fault needs threads: (the new limit, as debug.SetMaxThreads)");
      FieldException.require(threads >= 1, "threads", "threads must be at least 1, got %d", threads);
      FieldException.require(procs == null, "procs", "procs is for gomaxprocs faults");
    }
  }

  /** The most Ps a gomaxprocs fault may ask for (the runtime's limit is 1<<30; memory is ours). */
  public static final int MAX_PROCS = 1024;

  /** A message or actor fault (no environment fields). */
  public Fault(
      String name, Kind kind, String target, String message, Long from, Long until,
      Double probability, Integer every, Dist by, Integer threads, Integer times) {
    this(name, kind, target, message, from, until, probability, every, by, threads, times, null, null, null, null);
  }

  /** The actors a crash can hit: one named actor (no wildcard: a crash is one actor failing). */
  private static void checkActorFault(
      Kind kind, String target, String message, Long from, Long until, Long at, Supervision supervision) {
    FieldException.require(target != null, "target", kind == Kind.CRASH
        ? "a crash needs a target: P[n], M[n], sysmon or netpoller"
        : "a pause needs a target: P[n]");
    Target t = target(target);
    FieldException.require(message == null, "message", "a %s is of the whole actor: leave message out", kind.yaml());
    if (kind == Kind.PAUSE) {
      FieldException.require(t.actor().equals("P") && t.index() >= 0, "target",
          "only a P can be paused: P[n], got '%s'", target);
      FieldException.require(at == null, "at", "a pause has a window: from: and until:, not at:");
      FieldException.require(supervision == null, "supervision", "supervision is for crash faults");
      FieldException.require(until != null && until != Long.MAX_VALUE, "until", "a pause needs until: (when the P runs again)");
      return;
    }
    FieldException.require((t.actor().length() > 1 || t.index() >= 0) && !t.actor().equals("sched"), "target",
        "a crash hits one actor: P[n], M[n], sysmon or netpoller, not '%s'%s", target,
        t.actor().equals("sched") ? " (sched cannot crash: the M actors are its children, newm makes them, so"
            + " Akka would stop every thread with it)" : "");
    FieldException.require(at != null, "at", "a crash needs at: (the virtual time it happens, e.g. 2s)");
    FieldException.require(supervision != null, "supervision", "a crash needs supervision: restart or stop");
    FieldException.require(
        supervision == Supervision.STOP || t.actor().length() == 1 || t.actor().equals("sysmon"), "supervision",
        "%s cannot restart: a new netpoller would not know the goroutines parked on it or the timers; use stop",
        t.actor());
    FieldException.require(from == null || from == 0, "from", "a crash happens at: a time, it has no window");
    FieldException.require(until == null || until == Long.MAX_VALUE, "until", "a crash happens at: a time, it has no window");
  }

  private static void checkMessage(Target t, String message) {
    String kind = t.actor();
    List<String> known = MESSAGES.get(kind);
    if (known.contains(message)) {
      return;
    }
    List<String> others = new ArrayList<>();
    MESSAGES.forEach((k, v) -> {
      if (v.contains(message)) {
        others.add(k);
      }
    });
    String hint = ScenarioLoader.nearest(message, new ArrayList<>(known));
    String who = kind.length() > 1 ? kind : kind + "s";
    throw new FieldException("message", "'" + message + "' is not a message " + who + " handle"
        + (kind.length() > 1 ? "s" : "")
        + (!others.isEmpty() ? " (" + String.join(", ", others) + " handle" + (others.size() == 1 && others.get(0).length() > 1 ? "s" : "") + " it)" : "")
        + (hint == null ? "" : " (did you mean '" + hint + "'?)")
        + "; one of: " + String.join(", ", known));
  }

  /** This fault's target, parsed; null for clone-fails. */
  public Target parsedTarget() {
    return target == null ? null : target(target);
  }

  /** How the run reports it: its name, or what it does. */
  public String label() {
    if (name != null) {
      return name;
    }
    StringBuilder b = new StringBuilder(kind.yaml());
    if (target != null) {
      b.append(' ').append(target);
    }
    if (message != null) {
      b.append(' ').append(message);
    }
    if (by != null) {
      b.append(" by ").append(by);
    }
    if (syscall != null) {
      b.append(' ').append(syscall);
    }
    if (procs != null) {
      b.append(' ').append(procs);
    }
    if (threads != null) {
      b.append(kind == Kind.MAX_THREADS ? " " : " at ").append(threads).append(" threads");
    }
    if (at != null) {
      b.append(" at ").append(Nanos.format(at));
    }
    if (supervision != null) {
      b.append(" (").append(supervision.yaml()).append(')');
    }
    if (from > 0 || until != Long.MAX_VALUE) {
      b.append(" in [").append(Nanos.format(from)).append(", ")
          .append(until == Long.MAX_VALUE ? "end" : Nanos.format(until)).append(')');
    }
    if (probability != null) {
      b.append(" p=").append(probability);
    }
    if (every != null) {
      b.append(" every ").append(every);
    }
    if (times != null) {
      b.append(" at most ").append(times).append(times == 1 ? " time" : " times");
    }
    return b.toString();
  }
}
