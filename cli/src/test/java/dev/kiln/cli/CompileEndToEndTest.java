package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.tools.ArtifactContents;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln compile} with the real x86-64 backend on examples/hello.wasm (exports add and fac). */
class CompileEndToEndTest {
  @TempDir Path dir;

  @Test
  void helloCompilesToAnArtifactThatToolsAndTheLoaderChecksAccept() throws Exception {
    Path out = dir.resolve("hello.cwasm");
    ArtifactCommandsTest.Run run = ArtifactCommandsTest.kiln("compile", ArtifactCommandsTest.HELLO.toString(), "-o",
        out.toString());
    assertEquals(0, run.exit(), run.out() + run.err());

    try (Arena arena = Arena.ofConfined()) {
      ArtifactContents file = ArtifactContents.open(out, arena);
      assertTrue(file.header().settings().containsKey("x86_64.features"), file.header().settings().toString());
      // add and fac, their entry trampolines, and the trampoline of builtin 1, the trap stub
      // (Builtin.TRAP in the artifact module).
      assertEquals(Set.of("DEFINED_WASM_FUNCTION 0", "DEFINED_WASM_FUNCTION 1", "ARRAY_TO_WASM_TRAMPOLINE 0",
          "ARRAY_TO_WASM_TRAMPOLINE 1", "WASM_TO_BUILTIN_TRAMPOLINE 1"), file.functions().stream()
          .map(f -> f.kind() + " " + f.index()).collect(Collectors.toSet()));
      assertEquals(5, file.functions().size());
      // add and fac are leaves with empty frames: no stack check (StoreLayout.UNCHECKED_LEAF_FRAME),
      // and nothing else in them can trap.
      assertEquals(0, file.trapSiteCount(), "hello has no trap sites");
    }

    String header = ArtifactCommandsTest.tool("readelf", "-h", out.toString());
    assertTrue(header.contains("ELF64") && header.contains("X86-64"), header);
    String disassembly = ArtifactCommandsTest.tool("objdump", "-d", out.toString());
    assertTrue(disassembly.contains("<add>:") && disassembly.contains("<fac>:"), disassembly);
    assertTrue(disassembly.contains("imul"), "fac multiplies:\n" + disassembly);

    ArtifactCommandsTest.Run inspect = ArtifactCommandsTest.kiln("inspect", out.toString());
    assertEquals(0, inspect.exit(), inspect.err());
    assertTrue(inspect.out().contains("fac::array_to_wasm_trampoline"), inspect.out());
  }

  @Test
  void verboseCompilePrintsThePhaseSplitForEitherTarget() {
    for (String target : new String[] {"x86_64", "aarch64"}) {
      ArtifactCommandsTest.Run run = ArtifactCommandsTest.kiln("compile", "-v", "--target", target,
          ArtifactCommandsTest.HELLO.toString(), "-o", dir.resolve(target + ".cwasm").toString());
      assertEquals(0, run.exit(), run.err());
      String phases = run.out().lines().filter(l -> l.startsWith("phases on one thread: ")).findFirst().orElseThrow();
      String split = target.equals("x86_64") ? "translate .* lower .* regalloc .* emit .* link" : "translate .* codegen .* link";
      assertTrue(phases.matches("phases on one thread: \\d+ ms = decode \\d+ ms \\(\\d+%\\) validate .* " + split
          + " \\d+ ms \\(\\d+%\\) write \\d+ ms \\(\\d+%\\)"), phases);
    }
  }

  @Test
  void compiledArtifactRunsWithItsStartFunctionDataAndGlobals() throws Exception {
    // The start function does not escape, so only the compiler's start-function trampoline lets the
    // loader run it; it reads a data segment and updates a global the export returns: 1 + 42.
    Path wat = dir.resolve("start.wat");
    Files.writeString(wat, """
        (module
          (global $g (mut i32) (i32.const 1))
          (memory 1)
          (data (i32.const 16) "\\2a\\00\\00\\00")
          (func $init (global.set $g (i32.add (global.get $g) (i32.load (i32.const 16)))))
          (func (export "get") (result i32) (global.get $g))
          (start $init))
        """);
    Path out = dir.resolve("start.cwasm");
    assertEquals(0, ArtifactCommandsTest.kiln("compile", wat.toString(), "-o", out.toString()).exit());
    ArtifactCommandsTest.Run run = ArtifactCommandsTest.kiln("run", out.toString(), "--invoke", "get");
    assertEquals(0, run.exit(), run.out() + run.err());
    assertEquals("43", run.out().strip());
  }

  @Test
  void v128ArgumentsResultsLocalsAndGlobalsTakeTheDocumentedText() throws Exception {
    Path wat = dir.resolve("v128.wat");
    Files.writeString(wat, """
        (module
          (memory 1)
          (global $g (mut v128) (v128.const i32x4 1 2 3 4))
          (func (export "pick") (param v128 v128 i32) (result v128) (local $t v128)
            (local.set $t (select (local.get 0) (local.get 1) (local.get 2)))
            (v128.store offset=32 (i32.const 1) (local.get $t))
            (v128.load offset=32 (i32.const 1)))
          (func (export "global") (result v128) (global.get $g)))
        """);
    Path out = dir.resolve("v128.cwasm");
    assertEquals(0, ArtifactCommandsTest.kiln("compile", wat.toString(), "-o", out.toString()).exit());
    ArtifactCommandsTest.Run first = ArtifactCommandsTest.kiln("run", out.toString(), "--invoke", "pick",
        "i32x4:1,-2,3,4", "0xff", "1");
    assertEquals(0, first.exit(), first.out() + first.err());
    assertEquals("0x0000000400000003fffffffe00000001", first.out().strip());
    ArtifactCommandsTest.Run second = ArtifactCommandsTest.kiln("run", out.toString(), "--invoke", "pick",
        "i32x4:1,-2,3,4", "0xff", "0");
    assertEquals("0x000000000000000000000000000000ff", second.out().strip());
    ArtifactCommandsTest.Run global = ArtifactCommandsTest.kiln("run", out.toString(), "--invoke", "global");
    assertEquals("0x00000004000000030000000200000001", global.out().strip());
    ArtifactCommandsTest.Run bad = ArtifactCommandsTest.kiln("run", out.toString(), "--invoke", "pick",
        "i32x4:1,2,3", "0", "0");
    ArtifactCommandsTest.assertOneLineError(bad);
    assertTrue(bad.err().contains("is not a v128"), bad.err());
  }

  @Test
  void memoryGrowThroughTheBuiltinTrampolineMakesANewPageTheCodeCanStoreInto() throws Exception {
    // old size 1, new size 2, and the word stored at the first byte of the new page reads back:
    // 1 * 1000000 + 2 * 10000 + 1234. Growing past the maximum of 3 pages answers -1 (spec 4.4.7).
    Path wat = dir.resolve("grow.wat");
    Files.writeString(wat, """
        (module
          (memory 1 3)
          (func (export "grow_and_store") (result i32)
            (local $old i32)
            (local.set $old (memory.grow (i32.const 1)))
            (i32.store (i32.const 65536) (i32.const 1234))
            (i32.add (i32.mul (local.get $old) (i32.const 1000000))
              (i32.add (i32.mul (memory.size) (i32.const 10000)) (i32.load (i32.const 65536)))))
          (func (export "grow_too_far") (result i32) (memory.grow (i32.const 5))))
        """);
    Path out = dir.resolve("grow.cwasm");
    ArtifactCommandsTest.Run compile = ArtifactCommandsTest.kiln("compile", wat.toString(), "-o", out.toString());
    assertEquals(0, compile.exit(), compile.out() + compile.err());
    ArtifactCommandsTest.Run grown = ArtifactCommandsTest.kiln("run", out.toString(), "--invoke", "grow_and_store");
    assertEquals(0, grown.exit(), grown.out() + grown.err());
    assertEquals("1021234", grown.out().strip());
    ArtifactCommandsTest.Run refused = ArtifactCommandsTest.kiln("run", out.toString(), "--invoke", "grow_too_far");
    assertEquals(0, refused.exit(), refused.out() + refused.err());
    assertEquals("-1", refused.out().strip());
  }

  @Test
  void outputDoesNotDependOnTheNumberOfJobs() throws IOException {
    Path one = dir.resolve("one.cwasm");
    Path four = dir.resolve("four.cwasm");
    assertEquals(0, ArtifactCommandsTest.kiln("compile", ArtifactCommandsTest.HELLO.toString(), "-o", one.toString(),
        "--jobs", "1").exit());
    assertEquals(0, ArtifactCommandsTest.kiln("compile", ArtifactCommandsTest.HELLO.toString(), "-o", four.toString(),
        "-j", "4").exit());
    assertEquals(-1, Files.mismatch(one, four));
  }

  /** Calls with their arguments swapped: the caller moves values between registers (copies). */
  private static final String SWAPPED_CALLS = """
      (module
        (func $g (param i32 i32) (result i32) local.get 0 local.get 1 i32.sub)
        (func (export "f") (param i32 i32 i32) (result i32)
          local.get 1 local.get 0 call $g
          local.get 2 local.get 0 call $g
          i32.add))
      """;

  @Test
  void verboseCompilePrintsTheModulesAndEachFunctionsMoveCounts() throws IOException {
    Path wat = Files.writeString(dir.resolve("calls.wat"), SWAPPED_CALLS);
    Path out = dir.resolve("calls.cwasm");
    ArtifactCommandsTest.Run run = ArtifactCommandsTest.kiln("compile", "-v", "--no-inline", wat.toString(),
        "-o", out.toString());
    assertEquals(0, run.exit(), run.err());
    // The summary, the phase split, the module's move counts, then a line per function with any.
    String[] lines = run.out().split("\n");
    assertTrue(lines.length >= 4, run.out());
    assertTrue(lines[1].startsWith("phases on one thread: "), lines[1]);
    assertTrue(lines[2].matches("moves: spill stores \\d+ \\(in loops \\d+\\), reloads \\d+ \\(\\d+\\),"
        + " copies \\d+ \\(\\d+\\)"), lines[2]);
    for (int k = 3; k < lines.length; k++) {
      assertTrue(lines[k].startsWith("  wasm[0]::function["), lines[k]);
    }
  }

  @Test
  void aCompileWithoutVerbosePrintsTheSummaryAlone() throws IOException {
    // The per-function lines are made only for -v: tens of thousands for a large module.
    Path wat = Files.writeString(dir.resolve("calls.wat"), SWAPPED_CALLS);
    ArtifactCommandsTest.Run run = ArtifactCommandsTest.kiln("compile", "--no-inline", wat.toString(),
        "-o", dir.resolve("calls.cwasm").toString());
    assertEquals(0, run.exit(), run.err());
    assertEquals(1, run.out().split("\n").length, run.out());
  }

  @Test
  void objdumpOfHelloNamesFunctionsAndMapsWasmOffsets() throws IOException {
    Path out = dir.resolve("hello.cwasm");
    assertEquals(0, ArtifactCommandsTest.kiln("compile", ArtifactCommandsTest.HELLO.toString(), "-o", out.toString()).exit());
    ArtifactCommandsTest.Run run = ArtifactCommandsTest.kiln("objdump", out.toString());
    assertEquals(0, run.exit(), run.err());
    String text = run.out();
    assertTrue(text.contains("<fac>: wasm[0]::function[1]"), text);
    // A leaf with an empty frame: the prologue is the frame record alone, no stack check.
    assertTrue(text.contains("<add>: wasm[0]::function[0]\n       0:\t55 "), text);
    assertTrue(!text.contains("# trap: stack_overflow"), text);
    assertTrue(text.contains("-> fac"), "fac's trampoline calls fac:\n" + text);
    // hello.wasm's i32.add is at byte 0x33 of the module (wasm-objdump -d examples/hello.wasm).
    assertTrue(text.contains("# wasm 0x33"), text);
    assertTrue(text.contains("bytes of padding)"), text);
  }

  /**
   * Code inlined from another function carries that function's name and the call it replaced in
   * objdump's comments, and a trap in it names both functions; {@code --no-inline} keeps the call.
   * The names are the text's identifiers, which kiln compile keeps from a {@code .wat}.
   */
  @Test
  void inlinedCodeIsAnnotatedAndTrapsNameBothFunctions() throws IOException, InterruptedException {
    Path wat = dir.resolve("inline.wat");
    Files.writeString(wat, """
        (module
          (func $quotient (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
          (func $divide (export "divide") (param i32) (result i32)
            (i32.add (i32.const 1) (call $quotient (local.get 0)))))
        """);
    Path inlined = dir.resolve("inline.cwasm");
    Path called = dir.resolve("called.cwasm");
    assertEquals(0, ArtifactCommandsTest.kiln("compile", wat.toString(), "-o", inlined.toString()).exit());
    assertEquals(0, ArtifactCommandsTest.kiln("compile", "--no-inline", wat.toString(), "-o", called.toString()).exit());

    String text = ArtifactCommandsTest.kiln("objdump", inlined.toString()).out();
    assertTrue(text.matches("(?s).* in quotient inlined at 0x[0-9a-f]+.*"), text);
    assertTrue(!text.contains("<quotient>"), "nothing else calls $quotient: dropped\n" + text);
    String calls = ArtifactCommandsTest.kiln("objdump", called.toString()).out();
    assertTrue(calls.contains("-> quotient") && !calls.contains("inlined at"), calls);

    for (Path artifact : List.of(inlined, called)) {
      ArtifactCommandsTest.Run run = ArtifactCommandsTest.kiln("run", "--backtrace", artifact.toString(), "--invoke",
          "divide", "0");
      assertEquals(1, run.exit(), run.out() + run.err());
      assertTrue(run.err().matches("(?s).*quotient.*divide.*"), artifact + ": " + run.err());
    }
  }
}
