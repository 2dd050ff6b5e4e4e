package dev.kiln.compiler.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.TrapSite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FunctionSpill}: the file a large compile keeps its finished functions in. What it gives
 * back is what it was given, whichever threads wrote side by side, and the file never has a name
 * another process could open it by.
 */
class FunctionSpillTest {
  @TempDir
  Path directory;

  private static CompiledFunction function(int seed) {
    Random random = new Random(seed);
    byte[] code = new byte[1 + random.nextInt(3000)];
    random.nextBytes(code);
    List<SourceMapping> map = new ArrayList<>();
    for (int i = 0; i < code.length / 10; i++) {
      map.add(new SourceMapping(10 * i, random.nextInt(1 << 20), -1));
    }
    return new CompiledFunction(code, List.of(new Reloc(0, RelocKind.X86_CALL_PC_REL4, seed, -4)),
        List.of(new TrapSite(code.length - 1, seed % 10)), map);
  }

  @Test
  void functionsWrittenByTwoThreadsReadBackAsWritten() throws Exception {
    try (FunctionSpill spill = FunctionSpill.open(directory)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<FunctionSpill.Spilled>> places = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int seed = i;
        places.add(pool.submit(() -> (FunctionSpill.Spilled) spill.keep(function(seed))));
      }
      pool.shutdown();
      for (int i = 0; i < places.size(); i++) {
        CompiledFunction written = function(i);
        FunctionSpill.Spilled place = places.get(i).get();
        assertEquals(written.size(), place.codeSize());
        CompiledFunction read = spill.load(place);
        assertArrayEquals(written.code(), read.code(), "function " + i);
        assertEquals(written.relocs(), read.relocs());
        assertEquals(written.trapSites(), read.trapSites());
        assertEquals(written.sourceMap(), read.sourceMap());
      }
    }
  }

  @Test
  void theFileHasNoNameFromItsFirstUse() throws IOException {
    try (FunctionSpill spill = FunctionSpill.open(directory)) {
      spill.keep(function(1));
      try (Stream<Path> files = Files.list(directory)) {
        assertEquals(List.of(), files.toList(), "nothing to open by name");
      }
    }
  }

  @Test
  void aDirectoryThatCannotTakeTheFileIsNamedInTheError() {
    Path missing = directory.resolve("missing");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> FunctionSpill.open(missing));
    FileSystemException cause = (FileSystemException) e.getCause();
    assertEquals(missing.toString(), cause.getFile());
    assertTrue(cause.getReason().startsWith("cannot make a file for the compile's finished functions"),
        cause.getReason());
  }

  @Test
  void aClosedSpillIsNotReadAsIfItHeldSomething() {
    FunctionSpill spill = FunctionSpill.open(directory);
    FunctionSpill.Spilled place = (FunctionSpill.Spilled) spill.keep(function(3));
    spill.close();
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> spill.load(place));
    assertTrue(e.getCause().getMessage().contains("cannot read back"), e.getCause().getMessage());
  }

  /**
   * The file must come out of {@code open} this user's with mode 0600 before its name goes: a file
   * system that ignores the mode asked for would let another user open it meanwhile. (Such a file
   * system cannot be made here without mounting one; the rule is checked on the modes it would give.)
   */
  @Test
  void onlyAFileOfThisUsersWithMode600IsKept() {
    assertEquals(Optional.empty(), FunctionSpill.whyNotPrivate(0100600, 1000, 1000));
    assertEquals(Optional.of("made with mode 644 for user 1000, not 600 for user 1000"),
        FunctionSpill.whyNotPrivate(0100644, 1000, 1000), "a file system that ignores the mode (vfat's umask)");
    assertTrue(FunctionSpill.whyNotPrivate(0100777, 1000, 1000).isPresent());
    assertTrue(FunctionSpill.whyNotPrivate(0100600, 1001, 1000).isPresent(), "another user's file in its place");
  }

  /** A write that fails (here: to a closed file; on a machine, a full disk) keeps that function and every later one in memory. */
  @Test
  void aFunctionTheFileCannotTakeStaysInMemoryAndSoDoEveryLaterOne() {
    FunctionSpill spill = FunctionSpill.open(directory);
    spill.close();
    CompiledFunction f = function(4);
    CompiledFunctions.Held kept = spill.keep(f);
    assertSame(f, ((CompiledFunctions.Resident) kept).function());
    assertTrue(spill.keep(function(5)) instanceof CompiledFunctions.Resident);
  }
}
