package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance per request (issue 41): store, instantiate, typed lookup, one call, close. Closing a
 * shared FFM arena makes HotSpot stop every Java thread in a handshake; a cycle that does it is a
 * futex storm and a VM operation that grows with the number of threads. This counts, rather than
 * times, those handshakes: the cycle runs in a child JVM with {@code -Xlog:handshake=info}
 * (HotSpot logs one line per handshake, the close of a shared arena as {@code
 * "CloseScopedMemory"}), and the same JVM run with no cycle gives what compiling and closing the
 * module cost once, which is subtracted.
 */
class StoreCycleHandshakeTest {
  private static final Path HELLO = Path.of("../examples/hello.wasm");
  private static final int CYCLES = 200;

  @Test
  void aCycleOnAModuleWithoutMemoryClosesNoSharedArena(@TempDir Path dir) throws Exception {
    assertEquals(0, arenaClosesOfCycles(dir, HELLO.toAbsolutePath().toString()));
  }

  @Test
  void aCycleOnAModuleWithAMemoryClosesAtMostOneSharedArena(@TempDir Path dir) throws Exception {
    // The memory's bytes are the embedder's to view (Memory.segment()): its arena's close is the
    // one handshake a cycle keeps, so that a late access fails instead of touching unmapped pages.
    Path module = dir.resolve("memory.wasm");
    Files.write(module, dev.kiln.wat.Wat.toBinaryWithNames("""
        (module
          (memory (export "memory") 1)
          (data (i32.const 0) "hi")
          (func (export "fac") (param i64) (result i64) (local.get 0)))
        """, "memory.wat"));
    long closes = arenaClosesOfCycles(dir, module.toString());
    assertTrue(closes <= CYCLES, closes + " arena closes in " + CYCLES + " cycles");
  }

  @Test
  void aPooledCycleOnAModuleWithAMemoryClosesNoSharedArena(@TempDir Path dir) throws Exception {
    // A pooled memory lives in the engine's pool, not in an arena of the instance: only a view of
    // its bytes (Memory.segment()) makes one, and this cycle takes none.
    Path module = dir.resolve("memory.wasm");
    Files.write(module, dev.kiln.wat.Wat.toBinaryWithNames("""
        (module
          (memory (export "memory") 1)
          (data (i32.const 0) "hi")
          (func (export "fac") (param i64) (result i64) (local.get 0)))
        """, "memory.wat"));
    assertEquals(0, arenaCloses(dir, module.toString(), CYCLES, "pooled") - arenaCloses(dir, module.toString(), 0, "pooled"));
  }

  @Test
  void aCycleWithAHostFunctionClosesNoSharedArena(@TempDir Path dir) throws Exception {
    // The host function's blocks are C heap, and the upcall stub for host calls is the process's,
    // made once (its target finds the store from the store context: loader.runtime.UpcallRegistry).
    Path module = dir.resolve("host.wasm");
    Files.write(module, dev.kiln.wat.Wat.toBinaryWithNames("""
        (module
          (import "env" "twice" (func $twice (param i64) (result i64)))
          (func (export "fac") (param i64) (result i64) (call $twice (local.get 0))))
        """, "host.wat"));
    assertEquals(0, arenaClosesOfCycles(dir, module.toString()));
  }

  @Test
  void aCycleWithAGcHeapAndEveryUpcallClosesNoSharedArena(@TempDir Path dir) throws Exception {
    // Every upcall compiled code makes (host call, GC slow path, unwinder) goes through the
    // executor's stubs, which a store's close does not free, and the GC heap's pages are in no arena
    // (only the store's code and the loader under its claim touch them): a store's close unmaps them.
    Path module = dir.resolve("upcalls.wasm");
    Files.write(module, dev.kiln.wat.Wat.toBinaryWithNames(ClosedStoreCycles.MODULE.replace("\"run\"", "\"fac\""),
        "upcalls.wat"));
    assertEquals(0, arenaClosesOfCycles(dir, module.toString()));
  }

  /** Shared arenas closed (handshakes) by {@link #CYCLES} cycles on {@code module}, beyond compiling it. */
  private static long arenaClosesOfCycles(Path dir, String module) throws IOException, InterruptedException {
    return arenaCloses(dir, module, CYCLES) - arenaCloses(dir, module, 0);
  }

  /** The "CloseScopedMemory" handshakes of a child JVM that runs {@code cycles} cycles on {@code module}. */
  private static long arenaCloses(Path dir, String module, int cycles) throws IOException, InterruptedException {
    return arenaCloses(dir, module, cycles, "on-demand");
  }

  /** As above, with the engine's instances {@code pooled} or {@code on-demand}. */
  private static long arenaCloses(Path dir, String module, int cycles, String allocation)
      throws IOException, InterruptedException {
    Path log = dir.resolve("handshakes-" + cycles + "-" + allocation + ".log");
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-Xlog:handshake=info:file=" + log, "-cp", System.getProperty("java.class.path"),
        Cycles.class.getName(), module, Integer.toString(cycles), allocation));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile())
        .start();
    assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the cycling JVM did not finish");
    assertEquals(0, child.exitValue(), Files.readString(dir.resolve("out.txt")));
    assertEquals(Integer.toString(cycles), Files.readString(dir.resolve("out.txt")).strip());
    return Files.readAllLines(log).stream().filter(l -> l.contains("Handshake \"CloseScopedMemory\"")).count();
  }

  /** The child: compiles once, then cycles; prints how many cycles returned the right value. */
  static final class Cycles {
    public static void main(String[] args) throws Exception {
      Engine engine = args[2].equals("pooled") ? Engine.builder().pooling(PoolingAllocation.ofInstances(2)).build()
          : Engine.create();
      int cycles = Integer.parseInt(args[1]);
      int right = 0;
      try (WasmModule module = WasmModule.compile(engine, Path.of(args[0]))) {
        long expected = -1;
        for (int i = 0; i < cycles; i++) {
          try (Store store = new Store(engine)) {
            Linker linker = new Linker(store);
            if (!module.imports().isEmpty()) {
              linker.func("env", "twice", LongUnaryOperator.class, x -> 2 * x);
            }
            Instance instance = linker.instantiate(module);
            long result = instance.func("fac", LongUnaryOperator.class).applyAsLong(20);
            if (expected == -1) {
              expected = result;
            }
            right += result == expected ? 1 : 0;
          }
        }
      }
      System.out.println(right);
    }
  }
}
