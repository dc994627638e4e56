package dev.gmpsim.protocol.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The machine: block: its CPUs, runtime.cpus as their alias, the background load, and bad input. */
class MachineLoaderTest {
  static final String BLOCK = ScenarioLoaderTest.BLOCK;

  static Scenario parse(String yaml) throws ScenarioException {
    return ScenarioLoader.parse("t.yaml", yaml);
  }

  @Test
  void withoutAMachineTheCpuModelIsOffAndTheJsonIsAsBefore() throws Exception {
    Scenario s = parse(BLOCK);
    assertFalse(s.machine().declared());
    assertEquals(4, s.runtime().cpus());
    assertFalse(new ObjectMapper().writeValueAsString(s).contains("machine"), "run ids stay as they were");
  }

  @Test
  void machineCpusSetGomaxprocsUnlessTheFileDoes() throws Exception {
    Scenario s = parse("machine: {cpus: 2}\n" + BLOCK);
    assertTrue(s.machine().declared());
    assertEquals(2, s.machine().cpus());
    assertEquals(2, s.runtime().cpus());
    assertEquals(2, s.runtime().gomaxprocs(), "GOMAXPROCS defaults to the CPUs");
    Scenario p8 = parse("runtime: {gomaxprocs: 8}\nmachine: {cpus: 2}\n" + BLOCK);
    assertEquals(8, p8.runtime().gomaxprocs());
    assertEquals(2, p8.machine().cpus());
  }

  @Test
  void runtimeCpusIsAnAliasThatTurnsTheModelOn() throws Exception {
    Scenario s = parse("runtime: {cpus: 3}\n" + BLOCK);
    assertEquals(3, s.machine().cpus());
    assertEquals(3, s.runtime().gomaxprocs());
    assertEquals(3, parse("runtime: {cpus: 3}\nmachine: {cpus: 3}\n" + BLOCK).machine().cpus(), "both, agreeing");
  }

  @Test
  void aBackgroundIsANumberOrSteps() throws Exception {
    Scenario s = parse("machine: {cpus: 2, background: 0.5}\n" + BLOCK);
    assertEquals(0.5, s.machine().background().at(0));
    assertEquals(4, parse("machine: {background: 0.5}\n" + BLOCK).machine().cpus(), "no cpus: the runtime's default 4");
    Scenario t = parse("machine:\n  cpus: 2\n  background: {from: [{at: 0s, cpus: 0.5}, {at: 1s, cpus: 1.5}]}\n" + BLOCK);
    assertEquals(0.5, t.machine().background().at(999_999_999L));
    assertEquals(1.5, t.machine().background().at(1_000_000_000L));
    assertEquals(0.5 * 1e9 + 1.5 * 1e9, t.machine().background().cpuNs(0, 2_000_000_000L), 1);
  }

  @Test
  void theKernelsTimersComeWithAMachineUnlessTurnedOff() throws Exception {
    assertTrue(parse("machine: {cpus: 2}\n" + BLOCK).machine().timers());
    assertFalse(parse(BLOCK).machine().timers(), "no machine, no kernel timers");
    Scenario off = parse("machine: {cpus: 2, kernel-timers: false}\n" + BLOCK);
    assertTrue(off.machine().declared(), "the CPU model stays on");
    assertFalse(off.machine().timers());
    assertFalse(new ObjectMapper().writeValueAsString(parse("machine: {cpus: 2}\n" + BLOCK)).contains("kernel"),
        "left out of the JSON when not given: run ids stay as they were");
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of("machine: {cpus: 0}\n" + BLOCK, "t.yaml:1:11: machine.cpus: cpus must be 1..1024, got 0"),
        Arguments.of("machine: {cpus: 2, background: 3}\n" + BLOCK,
            "t.yaml:1:20: machine.background: background asks for 3 CPUs, more than the machine's 2 cpus"),
        Arguments.of("machine: {cpus: 2, background: -0.5}\n" + BLOCK,
            "t.yaml:1:20: machine.background: background cannot be negative, got -0.5"),
        Arguments.of("machine:\n  cpus: 2\n  background: {from: [{at: 0s, cpus: 1}, {at: 1s, cpus: 2.5}]}\n" + BLOCK,
            "t.yaml:3:3: machine.background: background asks for 2.5 CPUs from 1s, more than the machine's 2 cpus"),
        Arguments.of("machine:\n  cpus: 2\n  background: {from: [{at: 0s, cpus: -1}]}\n" + BLOCK,
            "t.yaml:3:32: machine.background.from[0].cpus: background cannot be negative, got -1"),
        Arguments.of("machine: {background: 5}\n" + BLOCK,
            "t.yaml:1:11: machine.background: background asks for 5 CPUs, more than the machine's 4 cpus"),
        Arguments.of("runtime: {cpus: 4}\nmachine: {cpus: 2}\n" + BLOCK,
            "t.yaml:2:11: machine.cpus: machine.cpus (2) and runtime.cpus (4) disagree; runtime.cpus is an alias: give one of them"),
        Arguments.of("machine: {cpu: 2}\n" + BLOCK,
            "t.yaml:1:11: machine.cpu: unknown key 'cpu' (did you mean 'cpus'?); valid keys: background, cpus, kernel-timers"),
        Arguments.of("machine: {cpus: 2, kernel-timers: maybe}\n" + BLOCK,
            "t.yaml:1:35: machine.kernel-timers: must be true or false, got 'maybe'"));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void badInputIsOneLineWithFileLineColumnAndKey(String yaml, String message) {
    ScenarioException e = assertThrows(ScenarioException.class, () -> parse(yaml));
    assertEquals(message, e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
