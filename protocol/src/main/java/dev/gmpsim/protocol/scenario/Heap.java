package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * The program's heap as the garbage collector sees it: {@code live} bytes reachable at every
 * cycle (what each cycle marks; everything the steps allocate is garbage by the next cycle), and
 * {@code globals}, the data and bss the GC scans as roots. Only used when some step allocates.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Heap(
    @JsonDeserialize(using = BytesDeserializer.class) Long live,
    @JsonDeserialize(using = BytesDeserializer.class) Long globals) {

  public static final Heap DEFAULTS = new Heap(null, null);

  public Heap {
    FieldException.require(live == null || live >= 0, "live", "live cannot be negative");
    FieldException.require(globals == null || globals >= 0, "globals", "globals cannot be negative");
  }

  /** Live heap bytes; a program that declares none has a small one (1MB). */
  public long liveBytes() {
    return live == null ? 1L << 20 : live;
  }

  public long globalsBytes() {
    return globals == null ? 0 : globals;
  }
}
