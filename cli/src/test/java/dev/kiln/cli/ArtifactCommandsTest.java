package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.StubArtifacts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln compile}, {@code inspect} and {@code objdump}, the latter two on an artifact of a stub x86-64 backend: exit codes,
 * one-line errors, and that standard ELF tools accept the artifact.
 */
class ArtifactCommandsTest {
  static final Path HELLO = Path.of("../examples/hello.wasm");

  @TempDir Path dir;
  Path cwasm;

  /** One {@code kiln} command run in this JVM through {@link Main#run}: its exit status and what it printed. */
  record Run(int exit, String out, String err) {
    /** The last line written to standard output, or "" when there is none. */
    String lastLine() {
      List<String> lines = out.lines().toList();
      return lines.isEmpty() ? "" : lines.getLast();
    }
  }

  static Run kiln(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }

  static String tool(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + output);
    return output;
  }

  static void assertOneLineError(Run run) {
    assertEquals(1, run.exit(), run.out() + run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("error: "), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
  }

  @BeforeEach
  void compileHello() throws IOException {
    cwasm = dir.resolve("hello.cwasm");
    StubArtifacts.write(HELLO, cwasm);
  }

  @Test
  void compiledArtifactIsAnX86_64Elf64ThatBinutilsReads() throws Exception {
    String header = tool("readelf", "-h", cwasm.toString());
    assertTrue(header.contains("ELF64"), header);
    assertTrue(header.contains("X86-64"), header);
    String sections = tool("readelf", "-S", cwasm.toString());
    for (String s : List.of(".kiln.compat", ".kiln.funcs", ".kiln.info", ".kiln.data", ".text")) {
      assertTrue(sections.contains(s), s + " in\n" + sections);
    }
    assertFalse(sections.contains(".kiln.names"), "function names live in .kiln.info only:\n" + sections);
    String disassembly = tool("objdump", "-d", cwasm.toString());
    assertTrue(disassembly.contains("<add>:"), disassembly);
    assertTrue(disassembly.contains("<fac::array_to_wasm_trampoline>:"), disassembly);
    assertTrue(disassembly.contains("mov    $0x2a,%eax"), disassembly);
  }

  @Test
  void inspectListsSectionsCompatHeaderAndEveryFunction() {
    Run run = kiln("inspect", cwasm.toString());
    assertEquals(0, run.exit(), run.err());
    String out = run.out();
    assertTrue(out.contains("target          x86_64"), out);
    assertTrue(out.contains("setting         stub = yes"), out);
    assertTrue(out.contains(".kiln.funcs"), out);
    assertTrue(out.contains("bytes per function"), out);
    assertTrue(out.contains("export \"fac\" function 1"), out);
    // add, fac, their two trampolines, the trap handler; each line: key kind offset size name.
    List<String> entries = out.lines().filter(l -> l.startsWith("  0x")).toList();
    assertEquals(5, entries.size(), out);
    assertTrue(entries.get(0).matches("\\s+0x00000000:0\\s+DEFINED_WASM_FUNCTION\\s+0x0\\s+32\\s+add"), entries.get(0));
    assertTrue(entries.get(3).endsWith(" fac::array_to_wasm_trampoline"), entries.get(3));
    assertTrue(entries.get(4).contains("WASM_TO_BUILTIN_TRAMPOLINE"), entries.get(4));
  }

  @Test
  void objdumpShowsFunctionsInKeyOrderWithTrapsAndWasmOffsets() {
    Run run = kiln("objdump", cwasm.toString());
    assertEquals(0, run.exit(), run.err());
    String out = run.out();
    int add = out.indexOf("<add>: wasm[0]::function[0]");
    int fac = out.indexOf("<fac>: wasm[0]::function[1]");
    int trap = out.indexOf("<builtin[1]::wasm_to_builtin_trampoline>");
    assertTrue(add >= 0 && add < fac && fac < trap, out);
    assertTrue(out.contains("pushq %rbp\t# wasm 0x40"), out);
    assertTrue(out.contains("# wasm 0x41"), out);
    assertTrue(out.contains("# trap: unreachable -> builtin[1]::wasm_to_builtin_trampoline"), out);
    assertTrue(out.contains("-> fac\n") || out.contains("-> fac\r\n"), out);
    assertTrue(out.contains("ud2"), out);
  }

  @Test
  void corruptOrForeignFilesAreOneLineErrors() throws IOException {
    assertOneLineError(kiln("inspect", HELLO.toString()));
    assertOneLineError(kiln("objdump", HELLO.toString()));
    byte[] bytes = Files.readAllBytes(cwasm);
    Path truncated = dir.resolve("truncated.cwasm");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    assertOneLineError(kiln("inspect", truncated.toString()));
    Path flipped = dir.resolve("flipped.cwasm");
    byte[] damaged = bytes.clone();
    damaged[0x28] ^= 0x40; // e_shoff
    Files.write(flipped, damaged);
    assertOneLineError(kiln("objdump", flipped.toString()));
    Path empty = dir.resolve("empty.cwasm");
    Files.write(empty, new byte[0]);
    assertOneLineError(kiln("inspect", empty.toString()));
    assertOneLineError(kiln("inspect", dir.resolve("missing.cwasm").toString()));
  }

  @Test
  void anOutputThatIsTheInputItselfIsRefusedAndLeftAlone() throws IOException {
    Path module = dir.resolve("app.wasm");
    Files.copy(HELLO, module);
    byte[] before = Files.readAllBytes(module);
    Run same = kiln("compile", module.toString(), "-o", module.toString());
    assertOneLineError(same);
    assertTrue(same.err().contains("is the input module"), same.err());
    Path link = dir.resolve("link.cwasm");
    Files.createSymbolicLink(link, module);
    assertOneLineError(kiln("compile", module.toString(), "-o", link.toString()));
    Path dotted = dir.resolve(".").resolve("app.wasm");
    Run spelled = kiln("compile", module.toString(), "-o", dotted.toString());
    assertOneLineError(spelled);
    assertTrue(spelled.err().contains("is the input module"), spelled.err());
    assertArrayEquals(before, Files.readAllBytes(module));
    assertEquals(List.of("app.wasm", "hello.cwasm", "link.cwasm"), listing(), "nothing written beside them");
  }

  /**
   * An existing file that starts with the wasm magic is another module, never an artifact: a
   * mistyped {@code -o} (one overwrote a shared corpus file) is refused, from a binary or a text
   * input, and leaves it and its folder as they were; an existing artifact is replaced as before.
   */
  @Test
  void anOutputThatHoldsAModuleIsRefusedAndLeftAlone() throws IOException {
    Path corpus = dir.resolve("corpus.wasm");
    Files.copy(HELLO, corpus);
    byte[] before = Files.readAllBytes(corpus);
    Path wat = dir.resolve("app.wat");
    Files.writeString(wat, "(module (func (export \"f\") (result i32) (i32.const 7)))");
    for (Path input : List.of(HELLO, wat)) {
      Run run = kiln("compile", input.toString(), "-o", corpus.toString());
      assertOneLineError(run);
      assertTrue(run.err().contains(corpus + ": is a WebAssembly module"), run.err());
    }
    Path link = dir.resolve("corpus-link.bin");
    Files.createSymbolicLink(link, corpus);
    assertOneLineError(kiln("compile", wat.toString(), "-o", link.toString()));
    assertArrayEquals(before, Files.readAllBytes(corpus));
    assertEquals(List.of("app.wat", "corpus-link.bin", "corpus.wasm", "hello.cwasm"), listing(),
        "nothing written beside them");
    assertEquals(0, kiln("compile", wat.toString(), "-o", cwasm.toString()).exit(), "an artifact is replaced");
  }

  /** The names in the test's folder, sorted. */
  private List<String> listing() throws IOException {
    try (var names = Files.list(dir)) {
      return names.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void compileErrorsAreOneLine() throws IOException {
    Path out = dir.resolve("out.cwasm");
    Run arm = kiln("compile", HELLO.toString(), "-o", out.toString(), "--target", "aarch64", "--x86-64-features",
        "baseline");
    assertOneLineError(arm);
    assertTrue(arm.err().contains("--x86-64-features applies to --target x86_64, not aarch64"), arm.err());
    assertOneLineError(kiln("compile", HELLO.toString(), "-o", out.toString(), "--target", "mips"));
    assertOneLineError(kiln("compile", HELLO.toString(), "-o", out.toString(), "--jobs", "0"));

    Path malformed = dir.resolve("bad.wasm");
    Files.write(malformed, new byte[] {0, 'a', 's', 'm', 9, 0, 0, 0});
    Run bad = kiln("compile", malformed.toString(), "-o", out.toString());
    assertOneLineError(bad);
    assertTrue(bad.err().contains("malformed"), bad.err());

    // (func (param i32) (result i32) (local i32 x 1048577) local.get 0): valid, but more locals
    // than Kiln compiles; the error names them and where they are.
    byte[] manyLocals = {0, 'a', 's', 'm', 1, 0, 0, 0,
        1, 6, 1, 0x60, 1, 0x7F, 1, 0x7F, // type section: [i32] -> [i32]
        3, 2, 1, 0, // function section
        10, 10, 1, 8, 1, (byte) 0x81, (byte) 0x80, 0x40, 0x7F, 0x20, 0, 0x0B}; // code section
    Path unsupported = dir.resolve("locals.wasm");
    Files.write(unsupported, manyLocals);
    Run u = kiln("compile", unsupported.toString(), "-o", out.toString());
    assertOneLineError(u);
    assertTrue(u.err().contains("unsupported: 1048577 locals at 0x"), u.err());
    assertTrue(u.err().contains("in function 0"), u.err());
    assertFalse(Files.exists(out));

    assertFalse(Files.exists(out));
  }
}
