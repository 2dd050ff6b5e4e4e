package dev.kiln.tests.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.cli.Main;
import dev.kiln.emulator.UnicornExecutor;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An AArch64 {@code .cwasm} on this x86-64 host, through the real loader: {@link LoadedModule}
 * accepts it, {@link LoadedInstance} instantiates it with the store's Unicorn executor (data segment
 * applied to a memory the emulator sees at its own address, memory.grow's builtin slot holding an
 * emulator host-call address), exports run emulated, a trap is a {@link TrapException}; and {@code kiln run}
 * runs the file.
 */
class Arm64ArtifactTest {
  @TempDir Path dir;

  private Path write() throws IOException {
    Path file = dir.resolve("arm.cwasm");
    Files.write(file, Arm64Artifact.build());
    return file;
  }

  @Test
  void theLoaderRunsAnAarch64ArtifactOnTheEmulator() throws IOException {
    try (LoadedModule module = LoadedModule.open(write()); NativeStore store = new NativeStore()) {
      assertEquals(Target.AARCH64, module.file().target());
      try (LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
        assertTrue(store.executorFor(Target.AARCH64) instanceof UnicornExecutor);
        assertEquals(List.of(new WasmValue.I32(42)), instance.invoke("answer"));
        assertEquals(List.of(new WasmValue.I32(42)), instance.invoke("load", 16), "the data segment, read emulated");
        instance.memory(0).set(java.lang.foreign.ValueLayout.JAVA_INT, 1000, 0x1234_5678);
        assertEquals(List.of(new WasmValue.I32(0x1234_5678)), instance.invoke("load", 1000));
        MemoryInstance memory = ((Extern.Memory) instance.export("memory").orElseThrow()).memory();
        assertEquals(1, memory.grow(2), "grown from Java: the emulated code sees the pages the host committed");
        assertEquals(3, instance.memoryPages(0));
        instance.memory(0).set(java.lang.foreign.ValueLayout.JAVA_INT, 3 * 65536 - 4, 77);
        assertEquals(List.of(new WasmValue.I32(77)), instance.invoke("load", 3 * 65536 - 4), "a grown page");
        TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("trap"));
        assertEquals(TrapCode.UNREACHABLE, trap.code());
        assertEquals(List.of(new WasmValue.I32(42)), instance.invoke("answer"), "usable after a trap");
      }
    }
  }

  @Test
  void anArtifactHeldInMemoryRunsToo() {
    try (LoadedModule module = LoadedModule.fromBytes(Arm64Artifact.build(), null); NativeStore store = new NativeStore();
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      assertEquals(List.of(new WasmValue.I32(42)), instance.invoke("load", 16));
    }
  }

  @Test
  void kilnRunRunsAnAarch64ArtifactOnThisHost() throws IOException {
    Path file = write();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out), new PrintWriter(err), "run", file.toString(), "--invoke", "load", "16");
    assertEquals(0, status, err.toString());
    assertEquals("42", out.toString().strip());
    status = Main.run(new PrintWriter(out), new PrintWriter(err), "run", file.toString(), "--invoke", "trap");
    assertEquals(1, status);
    assertTrue(err.toString().contains("unreachable"), err.toString());
  }
}
