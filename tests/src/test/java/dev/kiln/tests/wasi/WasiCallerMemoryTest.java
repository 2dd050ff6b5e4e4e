package dev.kiln.tests.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.cli.Main;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.wasi.Preopen;
import dev.kiln.wasi.ProcExit;
import dev.kiln.wasi.WasiConfig;
import dev.kiln.wasi.WasiHost;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WASI finds the guest's memory through the host functions' caller: the cat guest
 * (examples/cat.wat) runs with no memory wired in after instantiation, and of two
 * instances served by one {@link WasiHost} the calling one's memory is the one read and written.
 */
class WasiCallerMemoryTest {
  private static final Path CAT = Path.of("../examples/cat.wasm");

  @TempDir Path dir;

  @Test
  void theGuestsOwnMemoryServesItsWasiCallsWithoutUseMemory() throws Exception {
    Path artifact = dir.resolve("cat.cwasm");
    StringWriter err = new StringWriter();
    assertEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "compile", CAT.toString(), "-o",
        artifact.toString()), err::toString);
    Files.writeString(dir.resolve("in.txt"), "seven b");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    try (NativeStore store = new NativeStore(); LoadedModule module = LoadedModule.open(artifact)) {
      ImportNamespace linker = new ImportNamespace(store);
      WasiConfig config = WasiConfig.builder().arg("cat").arg("caller").arg("in.txt")
          .stdout(stdout).preopen(Preopen.parse(dir + "::.")).build();
      WasiHost.define(linker, config, WasiHost.importedBy(module.info().imports()));
      try (LoadedInstance idle = linker.instantiate(module); LoadedInstance running = linker.instantiate(module)) {
        TrapException exit = assertThrows(TrapException.class, () -> running.function("_start").call());
        assertEquals(Optional.of(7), ProcExit.in(exit).map(ProcExit::code), () -> stdout.toString(StandardCharsets.UTF_8));
        // args_get wrote argv's pointers at 1024 of the caller's memory, not of the other instance's.
        assertEquals(0, idle.memory(0).get(ValueLayout.JAVA_INT, 1028));
        assertNotEquals(0, running.memory(0).get(ValueLayout.JAVA_INT, 1028));
      }
    }
    assertEquals("caller\nseven b", stdout.toString(StandardCharsets.UTF_8));
  }
}
