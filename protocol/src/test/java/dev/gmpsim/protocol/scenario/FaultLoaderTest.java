package dev.gmpsim.protocol.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The faults: list of a scenario: what it reads, and the one line a mistake in it gives. */
class FaultLoaderTest {
  static final String BLOCK = "runtime: {gomaxprocs: 4}\nworkload:\n  - kind: goroutines\n    steps: [block]\n";

  @Test
  void everyKindReads() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", BLOCK + """
        faults:
          - kind: stall
            target: sysmon
            from: 100ms
            until: 150ms
          - {kind: drop, target: sched, message: Handoff, every: 3}
          - {kind: delay, target: "P[*]", message: Retake, by: "exp(1ms)", probability: 0.5, from: 1s}
          - {kind: duplicate, target: "M[*]", message: Start, until: 2s}
          - {kind: clone-fails, threads: 500, name: ulimit}
        """);
    assertEquals(5, s.faults().size());
    Fault stall = s.faults().get(0);
    assertEquals(Fault.Kind.STALL, stall.kind());
    assertEquals(100_000_000L, stall.from());
    assertEquals(150_000_000L, stall.until());
    assertEquals(new Fault.Target("sysmon", -1), stall.parsedTarget());
    assertEquals("stall sysmon in [100ms, 150ms)", stall.label());
    assertEquals(3, s.faults().get(1).every());
    assertEquals(0L, s.faults().get(1).from());
    assertEquals(Long.MAX_VALUE, s.faults().get(1).until());
    assertEquals(Dist.parse("exp(1ms)"), s.faults().get(2).by());
    assertEquals(new Fault.Target("P", -1), s.faults().get(2).parsedTarget());
    assertEquals("delay P[*] Retake by exp(1ms) in [1s, end) p=0.5", s.faults().get(2).label());
    assertEquals(new Fault.Target("M", -1), s.faults().get(3).parsedTarget());
    assertEquals(500, s.faults().get(4).threads());
    assertEquals("ulimit", s.faults().get(4).label());
    assertEquals(new Fault.Target("M", Fault.LOCKED),
        ScenarioLoader.parse("t.yaml", BLOCK + "faults: [{kind: reorder, target: 'M[locked]', message: Resume}]\n")
            .faults().get(0).parsedTarget());
    assertEquals("reorder M[locked] Resume", ScenarioLoader.parse("t.yaml",
        BLOCK + "faults: [{kind: reorder, target: 'M[locked]', message: Resume}]\n").faults().get(0).label());
    assertEquals(new Fault.Target("P", 3),
        ScenarioLoader.parse("t.yaml", BLOCK + "faults: [{kind: drop, target: 'P[3]', message: Retake}]\n")
            .faults().get(0).parsedTarget());
  }

  @Test
  void crashAndPauseRead() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", BLOCK + """
        faults:
          - {kind: crash, target: "P[1]", at: 2s, supervision: restart}
          - {kind: crash, target: sysmon, at: 1s, supervision: stop}
          - {kind: pause, target: "P[2]", from: 1s, until: 1100ms}
        """);
    Fault crash = s.faults().get(0);
    assertEquals(Fault.Kind.CRASH, crash.kind());
    assertEquals(2_000_000_000L, crash.at());
    assertEquals(Fault.Supervision.RESTART, crash.supervision());
    assertEquals("crash P[1] at 2s (restart)", crash.label());
    assertEquals("crash sysmon at 1s (stop)", s.faults().get(1).label());
    Fault pause = s.faults().get(2);
    assertEquals(new Fault.Target("P", 2), pause.parsedTarget());
    assertEquals("pause P[2] in [1s, 1100ms)", pause.label());
  }

  @Test
  void noFaultsIsAnEmptyList() throws Exception {
    assertEquals(0, ScenarioLoader.parse("t.yaml", BLOCK).faults().size());
  }

  static Stream<Arguments> badFaults() {
    return Stream.of(
        Arguments.of("faults:\n  - {kind: drop, target: sysmom, message: Tick}\n",
            "t.yaml:6:18: faults[0].target: 'sysmom' is not an actor (did you mean 'sysmon'?); one of: sysmon, sched, netpoller, P[n], P[*], M[n], M[*], M[locked]"),
        Arguments.of("faults:\n  - {kind: drop, target: 'P[*]', message: Retak}\n",
            "t.yaml:6:34: faults[0].message: 'Retak' is not a message Ps handle (did you mean 'Retake'?); one of: Acquire, Schedule, RunqPut, EnterSyscall, ExitSyscall, Retake, Preempt, StealRequest, Stolen, Work, Polled, TimersRun, Drop, Destroy, Init, GcStop, StwStop, StwRestart, OnCpu"),
        Arguments.of("faults:\n  - {kind: drop, target: 'P[*]', message: Handoff}\n",
            "t.yaml:6:34: faults[0].message: 'Handoff' is not a message Ps handle (sched handles it); one of: Acquire, Schedule, RunqPut, EnterSyscall, ExitSyscall, Retake, Preempt, StealRequest, Stolen, Work, Polled, TimersRun, Drop, Destroy, Init, GcStop, StwStop, StwRestart, OnCpu"),
        Arguments.of("faults:\n  - {kind: delays, target: sched}\n",
            "t.yaml:6:6: faults[0].kind: 'delays' is not a fault kind (did you mean 'delay'?); one of: delay, drop, duplicate, reorder, stall, clone-fails, syscall-hang, syscall-latency, gomaxprocs, max-threads, crash, pause"),
        Arguments.of("faults:\n  - {kind: stall, target: sysmon, from: 150ms, until: 100ms}\n",
            "t.yaml:6:48: faults[0].until: the window ends (until: 100ms) before it starts (from: 150ms)"),
        Arguments.of("faults:\n  - {kind: drop, target: sched, message: Handoff, probability: 1.5}\n",
            "t.yaml:6:51: faults[0].probability: probability must be between 0 and 1, got 1.5"),
        Arguments.of("faults:\n  - {kind: drop, target: sched, message: Handoff, probability: -0.1}\n",
            "t.yaml:6:51: faults[0].probability: probability must be between 0 and 1, got -0.1"),
        Arguments.of("faults:\n  - {kind: drop, target: 'P[4]', message: Retake}\n",
            "t.yaml:6:18: faults[0].target: P[4] does not exist with gomaxprocs 4 (P[0] to P[3], or P[*])"),
        Arguments.of("faults:\n  - {kind: delay, target: sched, message: Handoff}\n",
            "t.yaml:6:5: faults[0].by: a delay fault needs by: (a duration or distribution, e.g. 2ms or exp(1ms))"),
        Arguments.of("faults:\n  - {kind: stall, target: sysmon, from: 1ms}\n",
            "t.yaml:6:5: faults[0].until: a stall needs until: (when the actor runs again)"),
        Arguments.of("faults:\n  - {kind: drop, target: sched, message: Handoff, every: 0}\n",
            "t.yaml:6:51: faults[0].every: every must be at least 1, got 0"),
        Arguments.of("faults:\n  - {kind: clone-fails, target: sched}\n",
            "t.yaml:6:25: faults[0].target: clone-fails is about the process, not an actor: leave target out"),
        Arguments.of("faults:\n  - {kind: drop, target: sched, mesage: Handoff}\n",
            "t.yaml:6:33: faults[0].mesage: unknown key 'mesage' (did you mean 'message'?); valid keys: at, by, every, from, kind, message, name, probability, procs, supervision, syscall, target, threads, times, until"),
        // --- actor faults: crash, pause ---
        Arguments.of("faults:\n  - {kind: crash, target: 'P[1]', at: 2s, supervision: restrat}\n",
            "t.yaml:6:43: faults[0].supervision: 'restrat' is not a supervision (did you mean 'restart'?); one of: restart, stop"),
        Arguments.of("faults:\n  - {kind: crash, target: 'P[1]', supervision: stop}\n",
            "t.yaml:6:5: faults[0].at: a crash needs at: (the virtual time it happens, e.g. 2s)"),
        Arguments.of("faults:\n  - {kind: crash, target: 'P[1]', at: 2s}\n",
            "t.yaml:6:5: faults[0].supervision: a crash needs supervision: restart or stop"),
        Arguments.of("faults:\n  - {kind: crash, target: 'P[*]', at: 2s, supervision: stop}\n",
            "t.yaml:6:19: faults[0].target: a crash hits one actor: P[n], M[n], sysmon or netpoller, not 'P[*]'"),
        Arguments.of("faults:\n  - {kind: crash, target: netpoller, at: 2s, supervision: restart}\n",
            "t.yaml:6:46: faults[0].supervision: netpoller cannot restart: a new netpoller would not know the goroutines parked on it or the timers; use stop"),
        Arguments.of("faults:\n  - {kind: crash, target: sched, at: 2s, supervision: stop}\n",
            "t.yaml:6:19: faults[0].target: a crash hits one actor: P[n], M[n], sysmon or netpoller, not 'sched' (sched cannot crash: the M actors are its children, newm makes them, so Akka would stop every thread with it)"),
        Arguments.of("faults:\n  - {kind: crash, target: 'P[4]', at: 2s, supervision: stop}\n",
            "t.yaml:6:19: faults[0].target: P[4] does not exist with gomaxprocs 4 (P[0] to P[3], or P[*])"),
        Arguments.of("faults:\n  - {kind: pause, target: 'P[2]', from: 1100ms, until: 1s}\n",
            "t.yaml:6:49: faults[0].until: the window ends (until: 1s) before it starts (from: 1100ms)"),
        Arguments.of("faults:\n  - {kind: pause, target: 'P[7]', from: 1s, until: 2s}\n",
            "t.yaml:6:19: faults[0].target: P[7] does not exist with gomaxprocs 4 (P[0] to P[3], or P[*])"),
        Arguments.of("faults:\n  - {kind: pause, target: sysmon, from: 1s, until: 2s}\n",
            "t.yaml:6:19: faults[0].target: only a P can be paused: P[n], got 'sysmon'"),
        Arguments.of("faults:\n  - {kind: pause, target: 'P[1]', from: 1s}\n",
            "t.yaml:6:5: faults[0].until: a pause needs until: (when the P runs again)"),
        Arguments.of("faults:\n  - {kind: drop, target: sched, message: Handoff, at: 1s}\n",
            "t.yaml:6:51: faults[0].at: at is for crash, gomaxprocs and max-threads faults (the others take from: and until:)"));
  }

  @ParameterizedTest
  @MethodSource("badFaults")
  void aBadFaultIsOneLineWithFileLineColumnAndKey(String faults, String message) {
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", BLOCK + faults));
    assertEquals(message, e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  // Environment faults: syscall-hang, syscall-latency, gomaxprocs, max-threads.

  static final String CALLS = "duration: 3s\nruntime: {gomaxprocs: 4}\nworkload:\n  - kind: goroutines\n"
      + "    steps: [{syscall: {name: read, duration: 1ms}}, {cgo: 1ms}]\n";

  @Test
  void environmentKindsRead() throws Exception {
    Scenario s = ScenarioLoader.parse("t.yaml", CALLS + """
        faults:
          - {kind: syscall-hang, syscall: read, from: 1s}
          - {kind: syscall-latency, syscall: cgo, by: "lognormal(5ms, 50ms)", from: 1s, until: 1200ms, probability: 0.2}
          - {kind: gomaxprocs, at: 2s, procs: 2}
          - {kind: max-threads, at: 1s, threads: 200}
        """);
    assertEquals(4, s.faults().size());
    Fault hang = s.faults().get(0);
    assertEquals(Fault.Kind.SYSCALL_HANG, hang.kind());
    assertEquals("read", hang.syscall());
    assertEquals("syscall-hang read in [1s, end)", hang.label());
    assertEquals(Dist.parse("lognormal(5ms, 50ms)"), s.faults().get(1).by());
    assertEquals(0.2, s.faults().get(1).probability());
    assertEquals(2_000_000_000L, s.faults().get(2).at());
    assertEquals(2, s.faults().get(2).procs());
    assertEquals("gomaxprocs 2 at 2s", s.faults().get(2).label());
    assertEquals("max-threads 200 threads at 1s", s.faults().get(3).label());
  }

  static Stream<Arguments> badEnvironmentFaults() {
    return Stream.of(
        Arguments.of("faults:\n  - {kind: syscall-hang, syscall: raed}\n",
            "t.yaml:7:26: faults[0].syscall: no step makes a call named 'raed' (did you mean 'read'?); the scenario's calls: cgo, read"),
        Arguments.of("faults:\n  - {kind: syscall-hangs, syscall: read}\n",
            "t.yaml:7:6: faults[0].kind: 'syscall-hangs' is not a fault kind (did you mean 'syscall-hang'?); one of: delay, drop, duplicate, reorder, stall, clone-fails, syscall-hang, syscall-latency, gomaxprocs, max-threads, crash, pause"),
        Arguments.of("faults:\n  - {kind: gomaxprocs, at: 5s, procs: 2}\n",
            "t.yaml:7:24: faults[0].at: at: 5s is not inside the run (duration: 3s)"),
        Arguments.of("faults:\n  - {kind: gomaxprocs, at: 1s, procs: 0}\n",
            "t.yaml:7:32: faults[0].procs: procs must be between 1 and 1024, got 0"),
        Arguments.of("faults:\n  - {kind: max-threads, at: 1s, threads: 0}\n",
            "t.yaml:7:33: faults[0].threads: threads must be at least 1, got 0"),
        Arguments.of("faults:\n  - {kind: syscall-latency, syscall: read, by: 5ms, probability: 1.2}\n",
            "t.yaml:7:53: faults[0].probability: probability must be between 0 and 1, got 1.2"),
        Arguments.of("faults:\n  - {kind: syscall-hang, syscall: read, from: 2s, until: 1s}\n",
            "t.yaml:7:51: faults[0].until: the window ends (until: 1s) before it starts (from: 2s)"),
        Arguments.of("faults:\n  - {kind: syscall-latency, syscall: read}\n",
            "t.yaml:7:5: faults[0].by: a syscall-latency fault needs by: (a duration or distribution, e.g. 2ms or exp(1ms))"),
        Arguments.of("faults:\n  - {kind: gomaxprocs, procs: 2}\n",
            "t.yaml:7:5: faults[0].at: a gomaxprocs fault needs at: (when the program calls it)"),
        Arguments.of("faults:\n  - {kind: gomaxprocs, at: 1s, procs: 2, from: 1s}\n",
            "t.yaml:7:42: faults[0].from: gomaxprocs happens once: give at:, not from: or until:"),
        Arguments.of("faults:\n  - {kind: syscall-hang, target: sysmon, syscall: read}\n",
            "t.yaml:7:26: faults[0].target: syscall-hang is about a kind of call, not an actor: leave target out"),
        Arguments.of("faults:\n  - {kind: stall, target: sysmon, until: 1s, at: 1s}\n",
            "t.yaml:7:46: faults[0].at: at is for crash, gomaxprocs and max-threads faults (the others take from: and until:)"));
  }

  @ParameterizedTest
  @MethodSource("badEnvironmentFaults")
  void aBadEnvironmentFaultIsOneLine(String faults, String message) {
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("t.yaml", CALLS + faults));
    assertEquals(message, e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
