package dev.gmpsim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gmpsim.protocol.scenario.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Messages handled in place (an actor's own next message, taken from the event list or never
 * put in it: SimActor, EventList.takeOwn) give the same run as every message going through its
 * actor's mailbox: summary.json, the scheddetail schedtrace and the time series byte for byte.
 */
class InPlaceTest {
  @BeforeAll
  static void setUp() {
    DeterminismTest.setUp();
  }

  @AfterAll
  static void tearDown() {
    DeterminismTest.tearDown();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "workload-a-network.yaml", "workload-b-file-io.yaml", "workload-c-cgo.yaml",
    "workload-c-cgo-bounded.yaml", "workload-d-lockosthread.yaml", "workload-e-bursty.yaml",
    "gc/fileread-server-gc.yaml", "language/ticker-client.yaml", "language/pipe-wake.yaml"
  })
  void inPlaceAndThroughTheMailboxGiveTheSameBytes(String file) throws Exception {
    Scenario s = DeterminismTest.example(file, 3);
    DeterminismTest.Output inPlace = DeterminismTest.runAlone(s);
    DeterminismTest.Output messages;
    System.setProperty("gmpsim.inPlace", "false");
    try {
      messages = DeterminismTest.runAlone(s);
    } finally {
      System.clearProperty("gmpsim.inPlace");
    }
    assertEquals(messages.summaryJson(), inPlace.summaryJson());
    assertEquals(messages.timeseries(), inPlace.timeseries());
    assertEquals(messages.schedtrace(), inPlace.schedtrace());
  }
}
