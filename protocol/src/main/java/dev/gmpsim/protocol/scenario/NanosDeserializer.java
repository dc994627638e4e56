package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/** Reads "50ms"-style durations into nanoseconds. */
public final class NanosDeserializer extends StdDeserializer<Long> {
  public NanosDeserializer() {
    super(Long.class);
  }

  @Override
  public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.currentToken().isScalarValue()) {
      return (Long) ctxt.handleUnexpectedToken(Long.class, p);
    }
    try {
      return Nanos.parse(p.getText());
    } catch (IllegalArgumentException e) {
      return (Long) ctxt.handleWeirdStringValue(Long.class, p.getText(), "%s", e.getMessage());
    }
  }
}
