package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import dev.kiln.compiler.testsupport.HostileShapes;
import dev.kiln.compiler.testsupport.ModuleBulk;
import dev.kiln.compiler.testsupport.WideCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run app.wasm --timeout T} bounds the compile of the module too (issue 35, finding 4):
 * a module shaped to take long to compile ends the run with one error line, no stack trace, and
 * nothing in the cache; the same module within a generous timeout runs. Module-level bulk (issue 35,
 * F2) is bounded too, and a module past an implementation limit is refused by every command alike.
 */
class RunCompileTimeoutTest {
  @TempDir Path dir;

  @Test
  void aCompileThatOutlastsTheTimeoutIsOneErrorLine() throws IOException {
    // Tens of thousands of nested blocks: hundreds of milliseconds of compile at least.
    Path wasm = dir.resolve("nested.wasm");
    Files.write(wasm, HostileShapes.NESTED_BLOCKS.module(20_000));
    Path cache = dir.resolve("cache");
    Run run = kiln("run", "--cache-dir", cache.toString(), "--timeout", "1ms", wasm.toString(), "--invoke", "f", "1");
    assertEquals(1, run.exit(), run.err());
    assertEquals("", run.out());
    // Decoding 20,000 blocks may spend the millisecond already; which phase it ends in is the clock's.
    assertTrue(run.err().matches("error: " + Pattern.quote(wasm.toString()) + ": (decoding and validating the module"
        + "|compiling the functions) took longer than the budget of 1 ms \\(--timeout 1ms elapsed\\)\n"), run.err());
    assertTrue(Files.notExists(cache) || isEmpty(cache), "nothing stored for a compile that did not finish");
  }

  @Test
  void decodingModuleLevelBulkIsBoundedByTheTimeoutToo() throws IOException {
    // 200,000 globals: tens of milliseconds of decoding, polled every 1024 globals.
    Path wasm = dir.resolve("globals.wasm");
    Files.write(wasm, ModuleBulk.GLOBALS.module(200_000));
    Run run = kiln("run", "--no-cache", "--timeout", "1ms", wasm.toString());
    assertEquals(new Run(1, "", "error: " + wasm
        + ": decoding and validating the module took longer than the budget of 1 ms (--timeout 1ms elapsed)\n"), run);
  }

  @Test
  void validateRunAndCompileRefuseAModulePastALimitWithTheSameLine() throws IOException {
    // Only a data count section, declaring 2^20 + 1 segments: refused at the count, offset 0xa.
    Path wasm = dir.resolve("datacount.wasm");
    Files.write(wasm, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 12, 3, (byte) 0x81, (byte) 0x80, 0x40});
    String reason = "rejected: at 0xa: 1048577 data segments, more than Kiln's implementation limit of 1048576";
    assertEquals(new Run(1, wasm + ": " + reason + "\n", ""), kiln("validate", wasm.toString()));
    assertEquals(new Run(1, "", "error: " + wasm + ": " + reason + "\n"), kiln("run", "--no-cache", wasm.toString()));
    Run compile = kiln("compile", wasm.toString(), "-o", dir.resolve("out.cwasm").toString());
    assertEquals(1, compile.exit(), compile.err());
    assertTrue(compile.err().contains("at 0xa: 1048577 data segments, more than Kiln's implementation limit"),
        compile.err());
  }

  @Test
  void kilnCompileIsBoundedByItsOwnTimeout() throws IOException {
    // Red team 27 (F1, F2): kiln compile had no budget; the same shape as above, under --timeout.
    Path wasm = dir.resolve("nested.wasm");
    Files.write(wasm, HostileShapes.NESTED_BLOCKS.module(20_000));
    Path output = dir.resolve("nested.cwasm");
    Run run = kiln("compile", "--timeout", "1ms", wasm.toString(), "-o", output.toString());
    assertEquals(1, run.exit(), run.err());
    assertEquals("", run.out());
    assertTrue(run.err().matches("error: " + Pattern.quote(wasm.toString()) + ": (decoding and validating the module"
        + "|compiling the functions) took longer than the budget of 1 ms \\(--timeout 1ms elapsed\\)\n"), run.err());
    assertTrue(Files.notExists(output), "no artifact from a compile that did not finish");
    assertEquals(new Run(1, "", "error: --timeout: \"soon\" is not a duration (e.g. 2s, 500ms, 1m)\n"),
        kiln("compile", "--timeout", "soon", wasm.toString(), "-o", output.toString()));
  }

  @Test
  void aFunctionWhoseIrOutgrowsTheLimitIsOneRejectedLine() throws IOException {
    // Red team 27 F2: 800 two-byte calls of a function of 1,000 results, about 2.4 million units of
    // IR from 3.6 KB of code; refused at the call that crosses 2^21, in the caller, function 1.
    Path wasm = dir.resolve("calls.wasm");
    Files.write(wasm, WideCalls.module(1000, 800));
    Path output = dir.resolve("calls.cwasm");
    Run run = kiln("compile", wasm.toString(), "-o", output.toString());
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.err().matches("error: " + Pattern.quote(wasm.toString()) + ": rejected: at 0x[0-9a-f]+ \\(function 1\\):"
        + " \\d+ IR values, instructions and operands in one function, more than Kiln's implementation limit of"
        + " 2097152\n"), run.err());
    assertTrue(Files.notExists(output));
  }

  @Test
  void aCompileWithinTheTimeoutRuns() throws IOException {
    Path wasm = dir.resolve("small.wasm");
    Files.write(wasm, HostileShapes.NESTED_BLOCKS.module(10));
    // With 0, no br_if leaves early: every block's own code adds its number, 0 + 1 + ... + 9.
    Run run = kiln("run", "--no-cache", "--timeout", "1m", wasm.toString(), "--invoke", "f", "0");
    assertEquals(new Run(0, "45\n", ""), run);
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      return files.noneMatch(p -> p.toString().endsWith(".cwasm"));
    }
  }
}
