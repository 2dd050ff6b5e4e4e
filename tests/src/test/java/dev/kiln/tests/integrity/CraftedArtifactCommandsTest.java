package dev.kiln.tests.integrity;

import static dev.kiln.tests.support.KilnCommand.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.loader.module.X64HostFeatures;
import dev.kiln.tests.support.KilnCommand;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kiln} commands on artifacts written past the writer (a table damaged, a header value
 * swapped, the seal recomputed as a writer of such a file would) and the loader's CPU-feature check
 * against what {@code kiln compile} records: white-box across the artifact, loader and command-line
 * modules, so here rather than in the command line's own tests.
 */
class CraftedArtifactCommandsTest {
  private static final Path HELLO = Path.of("../examples/hello.wasm");

  @TempDir Path dir;


  private static void assertOneLineError(KilnCommand run) {
    assertEquals(1, run.exit(), run.out() + run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("error: "), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
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
        KilnCommand run = kiln(command, damaged.toString());
        assertOneLineError(run);
        assertTrue(run.err().startsWith("error: " + damaged + ": not a usable .cwasm: " + table.elfName()), run.err());
      }
    }
  }

  /**
   * Red team 34 F1: {@code .kiln.info}'s constant expressions were checked for their indices and
   * stack depth, not their types. Two bytes (the funcref global's and the element item's {@code
   * global.get $gf} made {@code global.get $gi}, an i64) and a new seal, with {@code .text}
   * untouched, loaded, and {@code call0}'s {@code call_indirect} called through the i64's bits: the
   * JVM died of SIGSEGV. Now the load refuses the file in one line naming the section.
   */
  @Test
  void aConstantExpressionOfTheWrongTypeIsRefusedInOneLine() throws IOException {
    Path wat = Files.writeString(dir.resolve("confusion.wat"), """
        (module
          (global $gi i64 (i64.const 0x0000414141414140))
          (global $gf funcref (ref.func $seven))
          (global $gg funcref (global.get $gf))
          (table $t 1 funcref)
          (elem (table $t) (i32.const 0) funcref (global.get $gf))
          (func $seven (export "seven") (result i32) (i32.const 7))
          (func (export "call0") (result i32) (call_indirect $t (result i32) (i32.const 0))))
        """);
    Path real = dir.resolve("confusion.cwasm");
    assertEquals(0, kiln("compile", wat.toString(), "-o", real.toString()).exit());
    byte[] bytes = Files.readAllBytes(real);
    long info;
    long infoSize;
    try (Arena arena = Arena.ofConfined()) {
      CwasmFile file = CwasmFile.read(real, arena);
      info = file.fileOffset(KilnSection.INFO);
      infoSize = file.section(KilnSection.INFO).byteSize();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int edited = 0;
    for (int at = (int) info; at + 5 <= info + infoSize; at++) {
      if (bytes[at] == 0x23 && buffer.getInt(at + 1) == 1) { // global.get $gf (global 1)
        buffer.putInt(at + 1, 0);
        edited++;
      }
    }
    assertEquals(2, edited, "global.get $gf in $gg's initialiser and in the element item");
    ArtifactSeal.seal(bytes);
    Path forged = Files.write(dir.resolve("forged.cwasm"), bytes);
    // seven, not call0: were the file loaded, call0 would crash this JVM
    KilnCommand run = kiln("run", forged.toString(), "--invoke", "seven");
    assertOneLineError(run);
    assertTrue(run.err().startsWith("error: " + forged + ": .kiln.info"), run.err());
    assertTrue(run.err().endsWith("initialiser of global 2 is of type i64, not of funcref\n"), run.err());
  }

  @Test
  void crossCompileFeaturesAreRecordedAndCheckedByTheLoader() throws IOException {
    Path base = dir.resolve("baseline.cwasm");
    KilnCommand baseline = kiln("compile", HELLO.toString(), "-o", base.toString(), "--x86-64-features=baseline");
    assertEquals(0, baseline.exit(), baseline.err());
    assertTrue(kiln("inspect", base.toString()).out().contains("setting         x86_64.features = baseline"));
    KilnCommand runsAnywhere = kiln("run", base.toString(), "--invoke", "fac", "5");
    assertEquals(0, runsAnywhere.exit(), runsAnywhere.err());
    assertEquals("120", runsAnywhere.out().strip());
    KilnCommand notANumber = kiln("run", base.toString(), "--invoke", "fac", "five");
    assertOneLineError(notANumber);
    assertTrue(notANumber.err().contains("\"five\" is not an i64"), notANumber.err());
    Path missingFolder = dir.resolve("no-such-folder");
    KilnCommand nowhere = kiln("compile", HELLO.toString(), "-o", missingFolder.resolve("x.cwasm").toString());
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
    KilnCommand refusedRun = kiln("run", foreign.toString(), "--invoke", "fac", "5");
    assertOneLineError(refusedRun);
    assertTrue(refusedRun.err().contains("uses feature 'avx512vl', which this runtime does not know"), refusedRun.err());

    // Any order and case in; the recorded text is Kiln's canonical one.
    Path all = dir.resolve("all.cwasm");
    KilnCommand allRun = kiln("compile", HELLO.toString(), "-o", all.toString(), "--x86-64-features", "SSE4_1,popcnt,bmi1,lzcnt");
    assertEquals(0, allRun.exit(), allRun.err());
    String inspected = kiln("inspect", all.toString()).out();
    assertTrue(inspected.contains("setting         x86_64.features = lzcnt,bmi1,popcnt,sse4_1"), inspected);
    Map<String, String> settings = CwasmFile.open(MemorySegment.ofArray(Files.readAllBytes(all))).compat().settings();
    IncompatibleArtifactException refused = assertThrows(IncompatibleArtifactException.class,
        () -> new X64HostFeatures(Set.of("popcnt")).check(settings));
    assertTrue(refused.getMessage().contains("lzcnt, which this CPU lacks"), refused.getMessage());
    assertTrue(refused.getMessage().contains("sse4_1, which this CPU lacks"), refused.getMessage());

    KilnCommand unknown = kiln("compile", HELLO.toString(), "-o", dir.resolve("x.cwasm").toString(), "--x86-64-features=avx512f");
    assertOneLineError(unknown);
    assertTrue(unknown.err().contains("unknown x86-64 feature 'avx512f'"), unknown.err());
    KilnCommand arm = kiln("compile", HELLO.toString(), "-o", dir.resolve("y.cwasm").toString(), "--target", "aarch64",
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
    KilnCommand compiled = kiln("compile", wasm.toString(), "-o", avx.toString(), "--x86-64-features=ssse3,sse4_1,avx");
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
}
