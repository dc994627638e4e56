package dev.gmpsim.protocol.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RunSummaryJsonTest {
  @Test
  void nanosecondMeansAreWrittenAsWholeNumbers() throws Exception {
    RunSummary.Percentiles p = new RunSummary.Percentiles(3, 1, 2, 3, 4, 5, 3.7844049225E7);
    assertEquals("{\"count\":3,\"p50\":1,\"p90\":2,\"p99\":3,\"p999\":4,\"max\":5,\"mean\":37844049}",
        new ObjectMapper().writeValueAsString(p));
  }
}
