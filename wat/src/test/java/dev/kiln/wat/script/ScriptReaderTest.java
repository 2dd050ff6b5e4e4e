package dev.kiln.wat.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.wat.Edition;
import dev.kiln.wat.Wat;
import dev.kiln.wat.WatSyntaxException;
import dev.kiln.wat.script.Command.AssertInvalid;
import dev.kiln.wat.script.Command.AssertMalformed;
import dev.kiln.wat.script.Command.AssertReturn;
import dev.kiln.wat.script.Command.AssertTrap;
import dev.kiln.wat.script.Command.AssertUninstantiable;
import dev.kiln.wat.script.Command.ModuleDefinition;
import dev.kiln.wat.script.Command.ModuleInstance;
import dev.kiln.wat.script.Command.Perform;
import dev.kiln.wat.script.Command.Register;
import dev.kiln.wat.script.Command.Unreadable;
import dev.kiln.wat.script.Command.Unsupported;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The script reader on small scripts written for each form, and on every script of both suites. */
class ScriptReaderTest {
  private static List<Command> read(String script) {
    return ScriptReader.read(script, "t.wast", Edition.WASM_3).commands();
  }

  @Test
  void modulesInEveryFormWithTheirLines() {
    List<Command> commands = read("""
        (module $M (func (export "f") (result i32) i32.const 7))
        (module binary "\\00asm" "\\01\\00\\00\\00")
        (module definition $D quote "(func)")
        (module instance $I $D)
        (register "m" $M)
        """);
    ModuleDefinition text = assertInstanceOf(ModuleDefinition.class, commands.get(0));
    assertEquals(1, text.line());
    assertEquals(Optional.of("M"), text.id());
    assertArrayEquals(Wat.toBinary("(module (func (export \"f\") (result i32) i32.const 7))", "x"),
        ((ScriptModule.Encoded) text.module()).bytes());
    ModuleDefinition binary = assertInstanceOf(ModuleDefinition.class, commands.get(1));
    assertArrayEquals(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, ((ScriptModule.Encoded) binary.module()).bytes());
    ModuleDefinition quote = assertInstanceOf(ModuleDefinition.class, commands.get(2));
    assertTrue(quote.definitionOnly());
    assertEquals(new ScriptModule.Quote("(func)", 3), quote.module());
    assertEquals(new ModuleInstance(4, Optional.of("I"), Optional.of("D")), commands.get(3));
    assertEquals(new Register(5, "m", Optional.of("M")), commands.get(4));
  }

  @Test
  void resultsAsBitPatternsAndPatterns() {
    List<Command> commands = read("""
        (assert_return (invoke $M "f" (i32.const -1) (f32.const -0x1p-1) (ref.null extern) (ref.extern 3))
          (i64.const -1) (f64.const nan:canonical) (f32.const nan:arithmetic)
          (v128.const f32x4 1 nan:canonical -0 inf) (v128.const i8x16 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 255)
          (ref.func) (ref.i31) (either (i32.const 1) (i32.const 2)))
        """);
    AssertReturn r = assertInstanceOf(AssertReturn.class, commands.getFirst());
    assertEquals(new Action(false, Optional.of("M"), "f", List.of(new Value.Num("i32", 0xFFFF_FFFFL),
        new Value.Num("f32", 0xBF00_0000L), new Value.RefNull("extern"), new Value.Ref("extern", OptionalLong.of(3)))),
        r.action());
    assertEquals(new Value.Num("i64", -1L), r.results().get(0));
    assertEquals(new Value.NanPattern("f64", true), r.results().get(1));
    assertEquals(new Value.NanPattern("f32", false), r.results().get(2));
    assertEquals(new Value.Vector("f32x4", List.of(new Value.Num("f32", 0x3F80_0000L), new Value.NanPattern("f32", true),
        new Value.Num("f32", 0x8000_0000L), new Value.Num("f32", 0x7F80_0000L))), r.results().get(3));
    Value.Vector bytes = (Value.Vector) r.results().get(4);
    assertEquals("i8", bytes.laneType());
    assertEquals(new Value.Num("i8", 0xFF), bytes.lanes().get(0));
    assertEquals(new Value.Num("i8", 0xFF), bytes.lanes().get(15));
    assertEquals(new Value.Ref("func", OptionalLong.empty()), r.results().get(5));
    assertEquals(new Value.Ref("i31", OptionalLong.empty()), r.results().get(6));
    assertEquals(new Value.Either(List.of(new Value.Num("i32", 1), new Value.Num("i32", 2))), r.results().get(7));
  }

  @Test
  void assertionsOnModulesAndTrapsOnModulesAreUninstantiable() {
    List<Command> commands = read("""
        (assert_malformed (module quote "(func (i32.const 1" ) "unexpected end")
        (assert_invalid (module (func (result i32))) "type mismatch")
        (assert_trap (module (func $s unreachable) (start $s)) "unreachable")
        (assert_trap (invoke "f") "unreachable")
        (invoke "g")
        """);
    AssertMalformed malformed = assertInstanceOf(AssertMalformed.class, commands.get(0));
    ScriptModule.Quote quote = assertInstanceOf(ScriptModule.Quote.class, malformed.module());
    WatSyntaxException e = assertThrows(WatSyntaxException.class, () -> quote.encode("t.wast", Edition.WASM_3));
    assertTrue(e.getMessage().startsWith("t.wast:1: module quote:1:"), e.getMessage());
    assertInstanceOf(AssertInvalid.class, commands.get(1));
    assertEquals("unreachable", assertInstanceOf(AssertUninstantiable.class, commands.get(2)).text());
    assertInstanceOf(AssertTrap.class, commands.get(3));
    assertInstanceOf(Perform.class, commands.get(4));
  }

  @Test
  void aBadCommandCostsOnlyItselfAndThreadsAreUnsupported() {
    List<Command> commands = read("""
        (assert_return (invoke "f") (i32.const 0x1_0000_0000))
        (thread $T (module) (invoke "x"))
        (wait $T)
        (module (func (i32.bogus)))
        (invoke "after")
        """);
    Unreadable bad = assertInstanceOf(Unreadable.class, commands.get(0));
    assertEquals("t.wast:1:40: expected an i32 literal, found '0x1_0000_0000'", bad.message());
    assertEquals(new Unsupported(2, "thread"), commands.get(1));
    assertEquals(new Unsupported(3, "wait"), commands.get(2));
    assertInstanceOf(Unreadable.class, commands.get(3));
    assertInstanceOf(Perform.class, commands.get(4));
    assertEquals(5, commands.size());
  }

  /** An attacker's nesting costs no stack: an either inside an either is refused at its first level. */
  @Test
  void deeplyNestedEitherIsOneUnreadableCommandNotAStackOverflow() {
    int depth = 200_000;
    String script = "(assert_return (invoke \"f\") " + "(either ".repeat(depth) + "(i32.const 1)" + ")".repeat(depth)
        + ")\n(invoke \"g\")";
    List<Command> commands = read(script);
    Unreadable bad = assertInstanceOf(Unreadable.class, commands.get(0));
    assertTrue(bad.message().contains("an either holds no either"), bad.message());
    assertInstanceOf(Perform.class, commands.get(1));
  }

  /** {@code (either result+)}: an either of nothing is the command's one error, not a failure of the runner (red team 38 F2). */
  @Test
  void anEmptyEitherIsOneUnreadableCommand() {
    List<Command> commands = read("(assert_return (invoke \"f\") (either))\n(invoke \"g\")");
    Unreadable bad = assertInstanceOf(Unreadable.class, commands.get(0));
    assertTrue(bad.message().contains("an either holds at least one"), bad.message());
    assertInstanceOf(Perform.class, commands.get(1));
  }

  @Test
  void featuresFromWasmtimeStyleHeaderLines() {
    WastScript script = ScriptReader.read(";;! memory64 = true\n;;! multi_memory = true, simd = false\n(module)",
        "t.wast", Edition.WASM_3);
    assertEquals(List.of("memory64", "multi_memory"), script.features());
  }

  /**
   * Every command of both suites reads: none is {@link Unreadable}. The 3.0 suite's {@code
   * proposals/} folder (proposals after 3.0) is read but may hold syntax the text reader does not
   * know.
   */
  @Test
  void everyCommandOfBothSuitesReads() throws Exception {
    Path corpora = Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"));
    assumeTrue(Files.isDirectory(corpora.resolve("spec-testsuite")), "no corpora at " + corpora);
    List<String> unreadable = new ArrayList<>();
    int commands = 0;
    for (String suite : List.of("spec-testsuite", "wasm3-testsuite")) {
      Edition edition = suite.equals("spec-testsuite") ? Edition.WASM_2 : Edition.WASM_3;
      List<Path> scripts;
      try (Stream<Path> walk = Files.walk(corpora.resolve(suite))) {
        scripts = walk.filter(p -> p.toString().endsWith(".wast")).sorted().toList();
      }
      for (Path wast : scripts) {
        Edition e = wast.toString().contains("memory64") ? Edition.WASM_3 : edition;
        // Proposals after 3.0 (threads, wide arithmetic, custom descriptors ...), whose syntax the
        // text reader does not know, as Wasm3SuiteTest leaves them out.
        boolean beyond = suite.equals("wasm3-testsuite") && wast.toString().contains("/proposals/");
        for (Command c : ScriptReader.read(Files.readAllBytes(wast), wast.toString(), e).commands()) {
          commands++;
          if (c instanceof Unreadable u && !beyond) {
            unreadable.add(u.message());
          }
        }
      }
    }
    assertEquals(List.of(), unreadable);
    assertTrue(commands > 100_000, "only " + commands + " commands");
  }
}
