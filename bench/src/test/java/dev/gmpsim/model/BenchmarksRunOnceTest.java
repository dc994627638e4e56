package dev.gmpsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each benchmark method runs once and does what it says (no timing: JMH does that). */
class BenchmarksRunOnceTest {
  @Test
  void eventListBenchmarksTakeTheEarliestEventAndPutOneBack() {
    EventListBench b = new EventListBench();
    b.pending = 1024;
    b.spread = 1_000_000;
    b.setup();
    long last = -1;
    for (int i = 0; i < 5000; i++) {
      long at = b.heap().msg().at();
      assertTrue(at >= last, "in time order");
      last = at;
    }
    last = -1;
    for (int i = 0; i < 5000; i++) {
      long at = b.eventList().at();
      assertTrue(at >= last, "in time order");
      last = at;
    }
  }

  @Test
  void deliveryBenchmarksRunTheirEvents() throws Exception {
    DeliveryBench b = new DeliveryBench();
    b.setup();
    try {
      assertEquals(DeliveryBench.EVENTS, b.mailbox());
      assertEquals(DeliveryBench.EVENTS, b.inPlace());
    } finally {
      b.tearDown();
    }
  }

  @Test
  void modelStepBenchmarksRunAWholeRun() throws Exception {
    for (String step : new String[] {"compute", "syscall"}) {
      ModelStepBench b = new ModelStepBench();
      b.step = step;
      b.setup();
      try {
        ModelStepBench.Events e = new ModelStepBench.Events();
        assertNotNull(b.run(e));
        assertEquals("ok", b.run(e).summary().outcome());
        // 100ms of 11us steps: thousands of events, each run the same.
        assertTrue(e.events > 2 * 9000, step + ": " + e.events);
      } finally {
        b.tearDown();
      }
    }
  }
}
