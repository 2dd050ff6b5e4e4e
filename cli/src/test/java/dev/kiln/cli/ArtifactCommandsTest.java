package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.module.X64HostFeatures;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  record Run(int exit, String out, String err) {}

  /**
   * {@code wasm} compiled by {@link StubBackend} into {@code out}, as {@code kiln compile} writes an
   * artifact but with code whose every byte the tests know: what {@code inspect} and {@code objdump}
   * show of it does not change with the compiler.
   */
  static void compileWithStub(Path wasm, Path out) throws IOException {
    CompiledModule compiled = Compiler.compile(Wasm.load(Files.readAllBytes(wasm)), new StubBackend(),
        new CompileOptions(2));
    Files.write(out, ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "dev"));
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
    compileWithStub(HELLO, cwasm);
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

  /**
   * Red-team finding: the address map and inline map are checked when first read, which for inspect
   * and objdump came after the artifact was opened; a resealed file with a damaged table printed
   * "internal error" and a stack trace.
   */
  @Test
  void aDamagedSideTableFoundWhilePrintingIsOneLine() throws IOException {
    Path real = dir.resolve("real.cwasm");
    assertEquals(0, kiln("compile", HELLO.toString(), "-o", real.toString()).exit());
    // inspect reads the address map (for Wasmtime's table size); objdump both maps.
    Map<KilnSection, List<String>> readers = Map.of(KilnSection.ADDRMAP, List.of("inspect", "objdump"),
        KilnSection.INLINE, List.of("objdump"));
    for (KilnSection table : readers.keySet()) {
      byte[] bytes = Files.readAllBytes(real);
      long at;
      try (Arena arena = Arena.ofConfined()) {
        at = CwasmFile.read(real, arena).fileOffset(table);
      }
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) at, 0x7fff_ffff); // the entry count
      ArtifactSeal.seal(bytes);
      Path damaged = Files.write(dir.resolve("damaged.cwasm"), bytes);
      for (String command : readers.get(table)) {
        Run run = kiln(command, damaged.toString());
        assertOneLineError(run);
        assertTrue(run.err().startsWith("error: " + damaged + ": not a usable .cwasm: " + table.elfName()), run.err());
      }
    }
  }

  @Test
  void crossCompileFeaturesAreRecordedAndCheckedByTheLoader() throws IOException {
    Path base = dir.resolve("baseline.cwasm");
    Run baseline = kiln("compile", HELLO.toString(), "-o", base.toString(), "--x86-64-features=baseline");
    assertEquals(0, baseline.exit(), baseline.err());
    assertTrue(kiln("inspect", base.toString()).out().contains("setting         x86_64.features = baseline"));
    Run runsAnywhere = kiln("run", base.toString(), "--invoke", "fac", "5");
    assertEquals(0, runsAnywhere.exit(), runsAnywhere.err());
    assertEquals("120", runsAnywhere.out().strip());
    Run notANumber = kiln("run", base.toString(), "--invoke", "fac", "five");
    assertOneLineError(notANumber);
    assertTrue(notANumber.err().contains("\"five\" is not an i64"), notANumber.err());
    Path missingFolder = dir.resolve("no-such-folder");
    Run nowhere = kiln("compile", HELLO.toString(), "-o", missingFolder.resolve("x.cwasm").toString());
    assertOneLineError(nowhere);
    assertTrue(nowhere.err().startsWith("error: " + missingFolder + ": no such directory"), nowhere.err());

    // The same artifact claiming an extension this runtime does not know: kiln run's loader refuses
    // it before any code runs (the header's value is swapped for one of the same length, and the
    // seal recomputed, as a writer of such a file would).
    byte[] bytes = Files.readAllBytes(base);
    byte[] claimed = new String(bytes, StandardCharsets.ISO_8859_1).replace("baseline", "avx512vl")
        .getBytes(StandardCharsets.ISO_8859_1);
    ArtifactSeal.seal(claimed);
    Path foreign = dir.resolve("avx512.cwasm");
    Files.write(foreign, claimed);
    Run refusedRun = kiln("run", foreign.toString(), "--invoke", "fac", "5");
    assertOneLineError(refusedRun);
    assertTrue(refusedRun.err().contains("uses feature 'avx512vl', which this runtime does not know"), refusedRun.err());

    // Any order and case in; the recorded text is Kiln's canonical one.
    Path all = dir.resolve("all.cwasm");
    Run allRun = kiln("compile", HELLO.toString(), "-o", all.toString(), "--x86-64-features", "SSE4_1,popcnt,bmi1,lzcnt");
    assertEquals(0, allRun.exit(), allRun.err());
    String inspected = kiln("inspect", all.toString()).out();
    assertTrue(inspected.contains("setting         x86_64.features = lzcnt,bmi1,popcnt,sse4_1"), inspected);
    Map<String, String> settings = CwasmFile.open(MemorySegment.ofArray(Files.readAllBytes(all))).compat().settings();
    IncompatibleArtifactException refused = assertThrows(IncompatibleArtifactException.class,
        () -> new X64HostFeatures(Set.of("popcnt")).check(settings));
    assertTrue(refused.getMessage().contains("lzcnt, which this CPU lacks"), refused.getMessage());
    assertTrue(refused.getMessage().contains("sse4_1, which this CPU lacks"), refused.getMessage());

    Run unknown = kiln("compile", HELLO.toString(), "-o", dir.resolve("x.cwasm").toString(), "--x86-64-features=avx512f");
    assertOneLineError(unknown);
    assertTrue(unknown.err().contains("unknown x86-64 feature 'avx512f'"), unknown.err());
    Run arm = kiln("compile", HELLO.toString(), "-o", dir.resolve("y.cwasm").toString(), "--target", "aarch64",
        "--x86-64-features=baseline");
    assertOneLineError(arm);
    assertTrue(arm.err().contains("applies to --target x86_64"), arm.err());
    assertTrue(kiln("compile", "--help").out().contains("--x86-64-features=LIST"));
  }

  /**
   * A module of one {@code i32x4.add}: {@code (func (export "add") (param v128 v128) (result v128)
   * (i32x4.add (local.get 0) (local.get 1)))}, binary encoding (spec 5.4.8: 0xFD 174).
   */
  private static final byte[] I32X4_ADD = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x07, 0x01, 0x60, 0x02, 0x7b, 0x7b, 0x01, 0x7b,
      0x03, 0x02, 0x01, 0x00,
      0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00,
      0x0a, 0x0b, 0x01, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, (byte) 0xfd, (byte) 0xae, 0x01, 0x0b};

  @Test
  void avxCodeIsRecordedAndRefusedOnACpuWithoutAvx() throws IOException {
    Path wasm = dir.resolve("add.wasm");
    Files.write(wasm, I32X4_ADD);
    Path avx = dir.resolve("avx.cwasm");
    Run compiled = kiln("compile", wasm.toString(), "-o", avx.toString(), "--x86-64-features=ssse3,sse4_1,avx");
    assertEquals(0, compiled.exit(), compiled.err());
    assertTrue(kiln("inspect", avx.toString()).out().contains("x86_64.features = sse4_1,ssse3,avx"));
    String code = kiln("objdump", avx.toString()).out();
    assertTrue(code.contains("vpaddd"), code);

    // A CPU with the v128 baseline but without AVX (the flags of a Nehalem): the VEX-encoded
    // vpaddd would raise #UD there (SDM Vol. 2A section 2.3.10), so the loader refuses, naming avx.
    X64HostFeatures nehalem = new X64HostFeatures(Set.of("sse", "sse2", "ssse3", "sse4_1", "sse4_2", "popcnt"));
    Map<String, String> settings = CwasmFile.open(MemorySegment.ofArray(Files.readAllBytes(avx))).compat().settings();
    IncompatibleArtifactException refused = assertThrows(IncompatibleArtifactException.class,
        () -> nehalem.check(settings));
    assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
    assertTrue(refused.getMessage().contains("its x86-64 code uses avx, which this CPU lacks (no 'avx' in"),
        refused.getMessage());

    Path sse = dir.resolve("sse.cwasm");
    assertEquals(0, kiln("compile", wasm.toString(), "-o", sse.toString(), "--x86-64-features=ssse3,sse4_1").exit());
    Map<String, String> sseSettings = CwasmFile.open(MemorySegment.ofArray(Files.readAllBytes(sse))).compat().settings();
    nehalem.check(sseSettings);
    assertFalse(kiln("objdump", sse.toString()).out().contains("vpaddd"));
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
    assertArrayEquals(before, Files.readAllBytes(module));
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
