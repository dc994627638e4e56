package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/** Reads sizes that must carry a unit ("50MB", "512B") into bytes. */
public final class BytesDeserializer extends StdDeserializer<Long> {
  public BytesDeserializer() {
    super(Long.class);
  }

  @Override
  public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.currentToken().isScalarValue()) {
      throw new FieldException("", "must be a size such as 50MB, got a "
          + (p.currentToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY ? "list" : "mapping"));
    }
    try {
      return Bytes.parseWithUnit(p.getText());
    } catch (IllegalArgumentException e) {
      throw new FieldException("", e.getMessage());
    }
  }
}
