package dev.gmpsim.protocol.scenario;

/**
 * A value that is well-formed but impossible (GOMAXPROCS 0, a negative duration). It names the
 * key so the loader can point at the line where the user wrote it.
 */
public final class FieldException extends IllegalArgumentException {
  private final String field;

  public FieldException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }

  /** Throws when {@code ok} is false; records call this from their compact constructors. */
  public static void require(boolean ok, String field, String format, Object... args) {
    if (!ok) {
      throw new FieldException(field, String.format(format, args));
    }
  }
}
