package dev.kiln.wast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.wast.ScriptCommand.Action;
import dev.kiln.wast.ScriptCommand.ActionType;
import dev.kiln.wast.ScriptCommand.AssertExhaustion;
import dev.kiln.wast.ScriptCommand.AssertInvalid;
import dev.kiln.wast.ScriptCommand.AssertMalformed;
import dev.kiln.wast.ScriptCommand.AssertReturn;
import dev.kiln.wast.ScriptCommand.AssertTrap;
import dev.kiln.wast.ScriptCommand.AssertUninstantiable;
import dev.kiln.wast.ScriptCommand.AssertUnlinkable;
import dev.kiln.wast.ScriptCommand.ModuleCommand;
import dev.kiln.wast.ScriptCommand.ModuleFile;
import dev.kiln.wast.ScriptCommand.ModuleType;
import dev.kiln.wast.ScriptCommand.PerformAction;
import dev.kiln.wast.ScriptCommand.Register;
import dev.kiln.wast.ScriptCommand.Unrecognized;
import dev.kiln.wast.ScriptCommand.WastValue;
import dev.kiln.wasm.Features;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads wast2json's JSON ({@code {"source_filename": ..., "commands": [...]}}) into {@link Script}.
 * The tree model is used rather than data binding so that an unknown command type becomes an
 * {@link Unrecognized} command (reported as skipped) instead of an error.
 */
public final class ScriptParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScriptParser() {}

  /** {@link #parse(Path, Features)} with the standard features. */
  public static Script parse(Path json) throws IOException {
    return parse(json, Features.STANDARD);
  }

  /**
   * Parses the JSON file; module files are looked up beside it.
   *
   * @param features what its modules are decoded and validated with
   */
  public static Script parse(Path json, Features features) throws IOException {
    JsonNode root = JSON.readTree(json.toFile());
    JsonNode commands = root.path("commands");
    if (!commands.isArray()) {
      throw new IOException(json + ": not wast2json output (no \"commands\" array)");
    }
    List<ScriptCommand> parsed = new ArrayList<>(commands.size());
    for (JsonNode c : commands) {
      parsed.add(command(c));
    }
    Path dir = json.toAbsolutePath().getParent();
    return new Script(json, dir, parsed, features);
  }

  static ScriptCommand command(JsonNode c) {
    String type = c.path("type").asText();
    int line = c.path("line").asInt();
    return switch (type) {
      case "module" -> new ModuleCommand(line, moduleFile(c), optionalText(c, "name"));
      case "assert_malformed" -> new AssertMalformed(line, moduleFile(c), c.path("text").asText());
      case "assert_invalid" -> new AssertInvalid(line, moduleFile(c), c.path("text").asText());
      case "assert_unlinkable" -> new AssertUnlinkable(line, moduleFile(c), c.path("text").asText());
      case "assert_uninstantiable" ->
          new AssertUninstantiable(line, moduleFile(c), c.path("text").asText());
      case "register" -> new Register(line, c.path("as").asText(), optionalText(c, "name"));
      case "action" -> new PerformAction(line, action(c.path("action")));
      case "assert_return" -> new AssertReturn(line, action(c.path("action")), values(c.path("expected")));
      case "assert_trap" -> new AssertTrap(line, action(c.path("action")), c.path("text").asText());
      case "assert_exhaustion" ->
          new AssertExhaustion(line, action(c.path("action")), c.path("text").asText());
      default -> new Unrecognized(line, type);
    };
  }

  /**
   * A module's file. wast2json writes {@code "module_type"} on assertions only; a plain {@code
   * module} is always a binary, so the file name's extension decides when the field is absent.
   */
  private static ModuleFile moduleFile(JsonNode c) {
    String filename = c.path("filename").asText();
    String declared = c.path("module_type").asText("");
    boolean text = declared.equals("text") || (declared.isEmpty() && filename.endsWith(".wat"));
    return new ModuleFile(filename, text ? ModuleType.TEXT : ModuleType.BINARY);
  }

  private static Action action(JsonNode a) {
    ActionType type = switch (a.path("type").asText()) {
      case "get" -> ActionType.GET;
      default -> ActionType.INVOKE;
    };
    return new Action(type, optionalText(a, "module"), a.path("field").asText(), values(a.path("args")));
  }

  private static List<WastValue> values(JsonNode array) {
    List<WastValue> values = new ArrayList<>();
    for (JsonNode v : array) {
      JsonNode value = v.path("value");
      List<String> parts = new ArrayList<>();
      if (value.isArray()) {
        value.forEach(lane -> parts.add(lane.asText()));
      } else if (!value.isMissingNode()) {
        parts.add(value.asText());
      }
      values.add(new WastValue(v.path("type").asText(), optionalText(v, "lane_type"), parts));
    }
    return values;
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }
}
