package dev.gmpsim.protocol.scenario;

/** A user mistake in a scenario or sweep file: one line naming the file, line, column and key. */
public final class ScenarioException extends Exception {
  private final String file;
  private final int line;
  private final int column;
  private final String key;
  private final String problem;

  public ScenarioException(String file, int line, int column, String key, String problem) {
    super(format(file, line, column, key, problem));
    this.file = file;
    this.line = line;
    this.column = column;
    this.key = key;
    this.problem = problem;
  }

  private static String format(String file, int line, int column, String key, String problem) {
    StringBuilder b = new StringBuilder(file);
    if (line > 0) {
      b.append(':').append(line);
      if (column > 0) {
        b.append(':').append(column);
      }
    }
    b.append(": ");
    if (key != null && !key.isEmpty()) {
      b.append(key).append(": ");
    }
    return b.append(problem).toString();
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  public String key() {
    return key;
  }

  public String problem() {
    return problem;
  }
}
