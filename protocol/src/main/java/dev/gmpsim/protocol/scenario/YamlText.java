package dev.gmpsim.protocol.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Checks a file as YAML text before anything is bound to it, so that what is wrong with the text
 * itself (not UTF-8, a syntax error, a key written twice, a second document) is one line with one
 * position, and is never mistaken for a type error.
 */
final class YamlText {
  private YamlText() {}

  /** Reads a file as UTF-8 text. */
  static String read(Path file, String name, int line, int column, String key) throws ScenarioException {
    try {
      byte[] bytes = Files.readAllBytes(file);
      ByteBuffer in = ByteBuffer.wrap(bytes);
      CharBuffer out = CharBuffer.allocate(bytes.length);
      CoderResult r = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
      if (r.isError()) {
        String what = (key.isEmpty() ? "" : "'" + file + "' is ") + "not a text file (not UTF-8), so not YAML";
        if (!key.isEmpty()) {
          throw new ScenarioException(name, line, column, key, what);
        }
        // Point at the first byte that is not UTF-8.
        int l = 1;
        int lineStart = 0;
        for (int i = 0; i < in.position(); i++) {
          if (bytes[i] == '\n') {
            l++;
            lineStart = i + 1;
          }
        }
        throw new ScenarioException(name, l, in.position() - lineStart + 1, "", what);
      }
      return out.flip().toString();
    } catch (NoSuchFileException e) {
      throw new ScenarioException(name, line, column, key, key.isEmpty() ? "file not found" : "file '" + file + "' not found");
    } catch (IOException e) {
      throw new ScenarioException(name, line, column, key, "cannot read " + (key.isEmpty() ? "it" : "'" + file + "'") + ": " + e.getMessage());
    }
  }

  /** The text's one YAML document as a tree. */
  static JsonNode tree(ObjectMapper yaml, String name, String text) throws ScenarioException {
    if (text.isBlank()) {
      throw new ScenarioException(name, 1, 1, "", "the file is empty");
    }
    controlCharacters(name, text);
    try (JsonParser p = yaml.getFactory().createParser(text)) {
      if (p.nextToken() == null) {
        throw new ScenarioException(name, 1, 1, "", "the file holds no YAML document (only comments?)");
      }
      walk(name, p, "");
      if (p.nextToken() != null) {
        int line = documentStart(text, p.currentTokenLocation().getLineNr());
        throw new ScenarioException(name, line, 1, "",
            "a second YAML document starts here ('---'); the file must hold one");
      }
      return yaml.readTree(text);
    } catch (JsonProcessingException e) {
      throw syntax(name, e);
    } catch (IOException e) {
      throw new ScenarioException(name, 0, 0, "", "cannot read: " + e.getMessage());
    }
  }

  /** Binary files usually hold NULs or other control characters early on. */
  private static void controlCharacters(String name, String text) throws ScenarioException {
    int line = 1;
    int col = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        col = 1;
        continue;
      }
      if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
        throw new ScenarioException(name, line, col, "",
            String.format("not a YAML text file (it holds the control character U+%04X)", (int) c));
      }
      col++;
    }
  }

  /** Reads the value at the parser's token, rejecting a key written twice in one mapping. */
  private static void walk(String name, JsonParser p, String path) throws IOException, ScenarioException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, JsonLocation> seen = new HashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String k = p.currentName();
        JsonLocation at = p.currentTokenLocation();
        String key = path.isEmpty() ? k : path + "." + k;
        JsonLocation first = seen.putIfAbsent(k, at);
        if (first != null) {
          throw new ScenarioException(name, at.getLineNr(), at.getColumnNr(), key,
              "'" + k + "' is written twice (first at line " + first.getLineNr() + "); remove one");
        }
        p.nextToken();
        walk(name, p, key);
      }
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        walk(name, p, path + "[" + i++ + "]");
      }
    }
  }

  /** The line of the '---' at or before {@code line}, else {@code line}. */
  private static int documentStart(String text, int line) {
    String[] lines = text.split("\n", -1);
    for (int i = Math.min(line, lines.length) - 1; i >= 0; i--) {
      if (lines[i].startsWith("---")) {
        return i + 1;
      }
    }
    return line;
  }

  /** A YAML syntax error as one line with one position. */
  static ScenarioException syntax(String name, JsonProcessingException e) {
    Throwable c = e;
    while (c != null && !(c instanceof MarkedYAMLException) && !(c instanceof ReaderException)) {
      c = c.getCause() == c ? null : c.getCause();
    }
    if (c instanceof MarkedYAMLException m && m.getProblem() != null) {
      String problem = m.getProblem().replace("<stream end>", "the end of the file")
          .replace("unexpected end of stream", "the end of the file").replaceAll("but got ([^<'\\s]+)$", "but got '$1'");
      String context = m.getContext() == null ? "" : m.getContext();
      // An unclosed bracket or quote is best shown where it opens; the problem mark is where the
      // parser gave up, often lines later.
      boolean opened = context.startsWith("while parsing a flow") || context.startsWith("while scanning a quoted");
      Mark at = (opened || m.getProblemMark() == null) && m.getContextMark() != null ? m.getContextMark() : m.getProblemMark();
      String msg;
      if (context.startsWith("while parsing a flow sequence")) {
        msg = "this '[' list is not closed by ']' (or an item in it is malformed): " + problem;
      } else if (context.startsWith("while parsing a flow mapping")) {
        msg = "this '{' mapping is not closed by '}' (or an entry in it is malformed): " + problem;
      } else if (context.startsWith("while scanning a quoted")) {
        msg = "this quoted text is not closed: " + problem;
      } else if (problem.contains("(TAB)")) {
        msg = "a tab character; YAML is indented with spaces";
      } else {
        msg = problem + (context.isEmpty() ? "" : " (" + context + ")");
      }
      msg = "not valid YAML: " + msg;
      return new ScenarioException(name, at == null ? 0 : at.getLine() + 1, at == null ? 0 : at.getColumn() + 1, "", msg);
    }
    if (c instanceof ReaderException r) {
      return new ScenarioException(name, 0, 0, "",
          String.format("not a YAML text file (it holds the character U+%04X, which YAML does not allow)", r.getCodePoint()));
    }
    JsonLocation loc = e.getLocation();
    String msg = e.getOriginalMessage();
    int nl = msg.indexOf('\n');
    return new ScenarioException(name, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(), "",
        "not valid YAML: " + (nl < 0 ? msg : msg.substring(0, nl)).strip());
  }
}
