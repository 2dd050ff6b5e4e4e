package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.wat.Wat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A long-lived store running a linker and an instance per request keeps nothing of a request once
 * its linker and instance are closed, and an embedder that never closes its linkers hits a limit
 * instead of growing the store without end. Before, every host function stayed until the store
 * closed (a C-heap block and 1,058 bytes of Java heap each, uncharged), and with WASI's functions
 * the files the guest opened and never closed: a guest per request exhausted the process's
 * descriptors. Counted: the store's live host functions, and the process's open descriptors.
 */
class HostFunctionRetentionTest {
  private static final int CYCLES = 100;
  private static final String ADDER = """
      (module
        (import "env" "add" (func $add (param i32) (result i32)))
        (func (export "run") (param i32) (result i32) (call $add (local.get 0))))
      """;
  /** Opens "data.txt" in the first preopen and leaves it open; returns the errno. */
  private static final String OPENER = """
      (module
        (import "wasi_snapshot_preview1" "path_open"
          (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "data.txt")
        (func (export "open") (result i32)
          (call $path_open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 8) (i32.const 0)
            (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 64))))
      """;

  private static int liveHostFunctions(Store store) {
    return store.internal().resources().count(StoreResources.Kind.HOST_FUNCTION);
  }

  private static WasmModule module(Engine engine, String wat, String name) {
    return WasmModule.compile(engine, Wat.toBinaryWithNames(wat, name));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aClosedLinkersHostFunctionsLeaveWithTheirLastImporter(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule adder = module(engine, ADDER, "adder.wat"); Store store = new Store(engine)) {
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        int offset = cycle;
        Instance instance;
        try (Linker linker = new Linker(store)) {
          linker.func("env", "add", IntUnaryOperator.class, x -> x + offset);
          linker.func("env", "unused", IntUnaryOperator.class, x -> x);
          instance = linker.instantiate(adder);
        }
        assertEquals(1, liveHostFunctions(store), "the imported one stays for its instance, in cycle " + cycle);
        assertEquals(cycle + 2, instance.func("run").call(Val.i32(2)).getFirst().asInt(), "it still runs");
        instance.close();
        assertEquals(0, liveHostFunctions(store), "host functions left after " + cycle + " requests");
      }
      Linker closed = new Linker(store);
      closed.close();
      assertThrows(IllegalStateException.class, () -> closed.instantiate(adder));
    }
  }

  @Test
  void linkersNeverClosedStopAtTheStoresLimit() {
    Engine engine = Engine.builder().build();
    try (Store store = Store.builder(engine).maxHostFunctions(CYCLES).build()) {
      for (int i = 0; i < CYCLES; i++) {
        new Linker(store).func("env", "f", IntUnaryOperator.class, x -> x);
      }
      KilnException refused = assertThrows(KilnException.class,
          () -> new Linker(store).func("env", "f", IntUnaryOperator.class, x -> x));
      assertTrue(refused.getMessage().contains("has " + CYCLES + " live host functions, its limit"),
          refused.getMessage());
      assertEquals(CYCLES, liveHostFunctions(store));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void theFilesAWasiGuestLeftOpenCloseWithItsLinker(Target target, @TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("data.txt"), "request");
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule opener = module(engine, OPENER, "opener.wat"); Store store = new Store(engine)) {
      long before = openDescriptors();
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        try (Linker linker = new Linker(store)) {
          Instance instance = linker.wasi(WasiOptions.builder().preopen(dir, "/").build()).instantiate(opener);
          assertEquals(0, instance.func("open").call().getFirst().asInt(), "path_open's errno");
          instance.close();
        }
      }
      long after = openDescriptors();
      assertTrue(after - before < 5, "descriptors open before " + before + ", after " + CYCLES + " requests " + after);
      assertEquals(0, liveHostFunctions(store));
    }
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
