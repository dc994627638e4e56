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

  /** The enum constant a file names in lower case, or an error listing the valid ones. */
  public static <E extends Enum<E>> E choice(Class<E> type, String what, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.name().replace('_', '-').equalsIgnoreCase(text.trim().replace('_', '-'))) {
        return e;
      }
    }
    java.util.List<Object> names = new java.util.ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
    String hint = ScenarioLoader.nearest(text, names);
    throw new FieldException("", "'" + text + "' is not a " + what + (hint == null ? "" : " (did you mean '" + hint + "'?)")
        + "; one of: " + YamlShapes.choices(type));
  }
}
