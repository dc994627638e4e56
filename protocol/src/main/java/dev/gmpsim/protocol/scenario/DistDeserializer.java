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
      throw new FieldException("", "must be a duration or distribution such as 50ms or exp(1ms), got a " + (p.currentToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY ? "list" : "mapping"));
    }
    try {
      return Dist.parse(p.getText());
    } catch (IllegalArgumentException e) {
      // Field "": the error is about this key, wherever the value's own checks raised it.
      throw new FieldException("", e.getMessage());
    }
  }
}
