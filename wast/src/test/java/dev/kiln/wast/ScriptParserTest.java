package dev.kiln.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wast.ScriptCommand.Action;
import dev.kiln.wast.ScriptCommand.ActionType;
import dev.kiln.wast.ScriptCommand.AssertMalformed;
import dev.kiln.wast.ScriptCommand.AssertReturn;
import dev.kiln.wast.ScriptCommand.AssertTrap;
import dev.kiln.wast.ScriptCommand.ModuleCommand;
import dev.kiln.wast.ScriptCommand.ModuleFile;
import dev.kiln.wast.ScriptCommand.ModuleType;
import dev.kiln.wast.ScriptCommand.Register;
import dev.kiln.wast.ScriptCommand.Unrecognized;
import dev.kiln.wast.ScriptCommand.WastValue;
import dev.kiln.wasm.Features;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON model, on wast2json output written by hand (the shapes of wabt 1.0.32's docs/wast2json.md). */
class ScriptParserTest {
  @TempDir Path dir;

  @Test
  void readsEveryShapeTheSuiteUses() throws Exception {
    Path json = dir.resolve("s.json");
    Files.writeString(json, """
        {"source_filename": "s.wast",
         "commands": [
          {"type": "module", "line": 1, "name": "$m", "filename": "s.0.wasm"},
          {"type": "assert_malformed", "line": 2, "filename": "s.1.wat", "text": "unknown operator", "module_type": "text"},
          {"type": "register", "line": 3, "name": "$m", "as": "M"},
          {"type": "assert_return", "line": 4,
           "action": {"type": "invoke", "module": "$m", "field": "f",
                      "args": [{"type": "i32", "value": "7"},
                               {"type": "v128", "lane_type": "i16", "value": ["1", "2", "3", "4", "5", "6", "7", "8"]}]},
           "expected": [{"type": "f32", "value": "nan:canonical"}]},
          {"type": "assert_return", "line": 5, "action": {"type": "get", "field": "g"},
           "expected": [{"type": "externref", "value": "null"}]},
          {"type": "assert_trap", "line": 6, "action": {"type": "invoke", "field": "t", "args": []},
           "text": "unreachable", "expected": [{"type": "i32"}]},
          {"type": "assert_something_new", "line": 7}
         ]}
        """);
    Script script = ScriptParser.parse(json);
    assertEquals(dir.toAbsolutePath(), script.moduleDirectory());
    assertEquals(List.of(
        new ModuleCommand(1, new ModuleFile("s.0.wasm", ModuleType.BINARY), Optional.of("$m")),
        new AssertMalformed(2, new ModuleFile("s.1.wat", ModuleType.TEXT), "unknown operator"),
        new Register(3, "M", Optional.of("$m")),
        new AssertReturn(4,
            new Action(ActionType.INVOKE, Optional.of("$m"), "f", List.of(
                new WastValue("i32", Optional.empty(), List.of("7")),
                new WastValue("v128", Optional.of("i16"), List.of("1", "2", "3", "4", "5", "6", "7", "8")))),
            List.of(new WastValue("f32", Optional.empty(), List.of("nan:canonical")))),
        new AssertReturn(5, new Action(ActionType.GET, Optional.empty(), "g", List.of()),
            List.of(new WastValue("externref", Optional.empty(), List.of("null")))),
        new AssertTrap(6, new Action(ActionType.INVOKE, Optional.empty(), "t", List.of()), "unreachable"),
        new Unrecognized(7, "assert_something_new")),
        script.commands());
  }

  @Test
  void anUnknownCommandIsSkippedWithItsName() {
    Outcome outcome = new ScriptExecutor(dir, Features.STANDARD, Target.X86_64,
        (bytes, features) -> null).execute(new Unrecognized(7, "assert_something_new"));
    assertEquals(new Outcome.Skipped("command type 'assert_something_new' is not known to this runner"), outcome);
  }

  @Test
  void jsonWithoutCommandsIsAnError() throws Exception {
    Path json = dir.resolve("x.json");
    Files.writeString(json, "{\"source_filename\": \"x.wast\"}");
    IOException e = assertThrows(IOException.class, () -> ScriptParser.parse(json));
    assertTrue(e.getMessage().contains("not wast2json output"), e.getMessage());
  }
}
