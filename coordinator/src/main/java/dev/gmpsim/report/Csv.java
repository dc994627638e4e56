package dev.gmpsim.report;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV as ResultSink writes it: cells with a comma, quote or newline are quoted. */
final class Csv {
  private Csv() {}

  /** The rows of {@code text}; a last line without its newline is a row too. */
  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          quoted = true;
          any = true;
        }
        case ',' -> {
          row.add(cell.toString());
          cell.setLength(0);
          any = true;
        }
        case '\r' -> { }
        case '\n' -> {
          row.add(cell.toString());
          rows.add(row);
          row = new ArrayList<>();
          cell.setLength(0);
          any = false;
        }
        default -> {
          cell.append(c);
          any = true;
        }
      }
    }
    if (any || cell.length() > 0) {
      row.add(cell.toString());
      rows.add(row);
    }
    return rows;
  }
}
