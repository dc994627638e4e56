package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/** Reads a distribution written as "50ms" or "exp(1ms)". */
public final class DistDeserializer extends StdDeserializer<Dist> {
  public DistDeserializer() {
    super(Dist.class);
  }

  @Override
  public Dist deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.currentToken().isScalarValue()) {
      return (Dist) ctxt.handleUnexpectedToken(Dist.class, p);
    }
    try {
      return Dist.parse(p.getText());
    } catch (IllegalArgumentException e) {
      return (Dist) ctxt.handleWeirdStringValue(Dist.class, p.getText(), "%s", e.getMessage());
    }
  }
}
