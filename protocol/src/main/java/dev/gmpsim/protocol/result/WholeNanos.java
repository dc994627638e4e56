package dev.gmpsim.protocol.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes a mean in nanoseconds as a whole number: a double would come out as 3.7844049225E7,
 * which is not how any other ns field of summary.json reads.
 */
public final class WholeNanos extends StdSerializer<Double> {
  public WholeNanos() {
    super(Double.class);
  }

  @Override
  public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
    gen.writeNumber(Math.round(value));
  }
}
