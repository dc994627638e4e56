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
      throw new FieldException("", "must be a duration such as 50ms, got a " + (p.currentToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY ? "list" : "mapping"));
    }
    try {
      return Nanos.parse(p.getText());
    } catch (IllegalArgumentException e) {
      // Field "": the error is about this key, wherever the value's own checks raised it.
      throw new FieldException("", e.getMessage());
    }
  }
}
