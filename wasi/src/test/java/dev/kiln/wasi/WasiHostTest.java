package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.wasi.abi.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binding: loader host functions with the witx types, calling into the guest's memory. */
class WasiHostTest {
  @Test
  void typesFollowTheWitxLowering() {
    assertEquals(new FuncType(List.of(ValType.I32, ValType.I64, ValType.I32, ValType.I32),
        List.of(ValType.I32)), WasiHost.typeOf(WasiFunction.FD_SEEK));
    assertEquals(new FuncType(List.of(ValType.I32), List.of()), WasiHost.typeOf(WasiFunction.PROC_EXIT));
    assertEquals(new FuncType(List.of(), List.of(ValType.I32)), WasiHost.typeOf(WasiFunction.SCHED_YIELD));
  }

  @Test
  void onlyTheImportedFunctionsAreCreated() throws Exception {
    var imports = List.of(
        new dev.kiln.artifact.info.Import("wasi_snapshot_preview1", "fd_write",
            new dev.kiln.artifact.info.ImportDesc.Function(0)),
        new dev.kiln.artifact.info.Import("env", "fd_read", new dev.kiln.artifact.info.ImportDesc.Function(0)),
        new dev.kiln.artifact.info.Import("wasi_snapshot_preview1", "proc_exit",
            new dev.kiln.artifact.info.ImportDesc.Function(1)));
    try (NativeStore store = new NativeStore()) {
      WasiHost host = WasiHost.create(store, new WasiPreview1(WasiConfig.builder().build()),
          WasiHost.importedBy(imports));
      assertEquals(java.util.Set.of("fd_write", "proc_exit"), host.functions().keySet());
      host.close();
    }
  }

  @Test
  void hostFunctionsReachTheMemoryTheEmbedderGives() throws Exception {
    var stdout = new java.io.ByteArrayOutputStream();
    try (NativeStore store = new NativeStore(); Arena arena = Arena.ofConfined()) {
      WasiHost host = WasiHost.create(store,
          new WasiPreview1(WasiConfig.builder().arg("prog").stdout(stdout).build()));
      assertEquals("", stdout.toString(), "preparing fd_write's path writes nothing");
      MemorySegment memory = arena.allocate(4096);
      FunctionInstance write = host.function("fd_write").orElseThrow();
      memory.setString(100, "hi!", java.nio.charset.StandardCharsets.UTF_8);
      memory.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 100);
      memory.set(java.lang.foreign.ValueLayout.JAVA_INT, 4, 3);
      List<WasmValue> before = write.call(new WasmValue.I32(1), new WasmValue.I32(0),
          new WasmValue.I32(1), new WasmValue.I32(8));
      assertEquals(List.of(new WasmValue.I32(Errno.FAULT.code())), before, "no memory yet");
      host.useMemory(() -> memory);
      assertEquals(List.of(new WasmValue.I32(0)), write.call(new WasmValue.I32(1),
          new WasmValue.I32(0), new WasmValue.I32(1), new WasmValue.I32(8)));
      assertEquals("hi!", stdout.toString());
      assertEquals(3, memory.get(java.lang.foreign.ValueLayout.JAVA_INT, 8));
      assertEquals(WasiFunction.values().length, host.functions().size());
      ProcExit exit = assertThrows(ProcExit.class,
          () -> host.function("proc_exit").orElseThrow().call(new WasmValue.I32(4)));
      assertEquals(4, exit.code());
      host.close();
    }
  }
}
