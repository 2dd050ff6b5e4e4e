package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API end to end: compile, link host functions and WASI, call, trap, serialize. */
class ApiTest {
  private static final byte[] CALC = Wat.toBinaryWithNames("""
      (module
        (import "env" "twice" (func $twice (param i32) (result i32)))
        (import "env" "print" (func $print (param i32 i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "hello, host")
        (global $counter (export "counter") (mut i64) (i64.const 7))
        (table (export "table") 3 funcref)
        (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
        (func (export "square") (param i64) (result i64) (i64.mul (local.get 0) (local.get 0)))
        (func (export "hypot") (param f64 f64) (result f64)
          (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 1) (local.get 1)))))
        (func (export "divmod") (param i32 i32) (result i32 i32)
          (i32.div_u (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1)))
        (func (export "quadruple") (param i32) (result i32) (call $twice (call $twice (local.get 0))))
        (func (export "greet") (call $print (i32.const 16) (i32.const 11)))
        (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
        (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0)))
        (func (export "spin") (loop $l (br $l))))
      """, "test.wat");

  private final Engine engine = Engine.create();

  private Instance instantiate(Store store, List<String> printed) {
    return instantiate(engine, store, printed);
  }

  private static Instance instantiate(Engine engine, Store store, List<String> printed) {
    Linker linker = new Linker(store);
    linker.func("env", "twice", IntUnaryOperator.class, x -> {
      if (x < 0) {
        throw new IllegalArgumentException("no negatives: " + x);
      }
      return 2 * x;
    });
    linker.func("env", "print", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()), (caller, args) -> {
      printed.add(caller.memory("memory").orElseThrow().readString(args.get(0).asInt(), args.get(1).asInt()));
      return List.of();
    });
    return linker.instantiate(WasmModule.compile(engine, CALC));
  }

  @Test
  void typedHandlesCallExportsAndHostFunctions() {
    List<String> printed = new ArrayList<>();
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(store, printed);
      assertEquals(42, instance.func("add", IntBinaryOperator.class).applyAsInt(2, 40));
      assertEquals(1L << 40, instance.func("square", LongUnaryOperator.class).applyAsLong(1L << 20));
      assertEquals(5.0, instance.func("hypot", DoubleBinaryOperator.class).applyAsDouble(3, 4));
      assertEquals(List.of(Val.i32(3), Val.i32(2)), instance.func("divmod").call(Val.i32(17), Val.i32(5)));
      assertEquals(44, instance.func("quadruple", IntUnaryOperator.class).applyAsInt(11));
      instance.func("greet", Runnable.class).run();
      assertEquals(List.of("hello, host"), printed);
    }
  }

  /** AArch64 code runs natively on an AArch64 host, on the Unicorn emulator on x86-64, host calls included. */
  @Test
  void anAarch64EngineRunsTheSameProgram() {
    Engine aarch64 = Engine.builder().target(Target.AARCH64).build();
    List<String> printed = new ArrayList<>();
    try (Store store = new Store(aarch64)) {
      Instance instance = instantiate(aarch64, store, printed);
      assertEquals(44, instance.func("quadruple", IntUnaryOperator.class).applyAsInt(11));
      instance.func("greet", Runnable.class).run();
      assertEquals(List.of("hello, host"), printed);
      assertEquals("integer divide by zero",
          assertThrows(Trap.class, () -> instance.func("outer", IntUnaryOperator.class).applyAsInt(0)).reason());
    }
  }

  /**
   * Every typed host shape, called from wasm with values whose bits matter (negative i32s, i64s past
   * 32 bits, doubles), for both targets: the lambdas see their arguments and their results reach
   * wasm as the types say.
   */
  @Test
  void everyTypedHostShapeSeesItsArgumentsAndReturnsToWasm() {
    byte[] wasm = Wat.toBinaryWithNames("""
        (module
          (import "h" "run" (func $run))
          (import "h" "int" (func $int (result i32)))
          (import "h" "long" (func $long (result i64)))
          (import "h" "double" (func $double (result f64)))
          (import "h" "takeInt" (func $takeInt (param i32)))
          (import "h" "takeLong" (func $takeLong (param i64)))
          (import "h" "takeDouble" (func $takeDouble (param f64)))
          (import "h" "negate" (func $negate (param i32) (result i32)))
          (import "h" "sub" (func $sub (param i32 i32) (result i32)))
          (import "h" "negateLong" (func $negateLong (param i64) (result i64)))
          (import "h" "subLong" (func $subLong (param i64 i64) (result i64)))
          (import "h" "half" (func $half (param f64) (result f64)))
          (import "h" "div" (func $div (param f64 f64) (result f64)))
          (import "h" "widen" (func $widen (param i32) (result i64)))
          (import "h" "high" (func $high (param i64) (result i32)))
          (func (export "ints") (result i32)
            (call $run) (call $takeInt (i32.const -7)) (call $takeLong (i64.const -0x1_0000_0003))
            (call $takeDouble (f64.const -2.5))
            (i32.add (call $int) (i32.add (call $negate (i32.const 5)) (call $sub (i32.const 3) (i32.const 10)))))
          (func (export "longs") (result i64)
            (i64.add (call $long) (i64.add (call $negateLong (i64.const 0x7_0000_0000))
              (i64.add (call $subLong (i64.const 1) (i64.const 0x1_0000_0000))
                (i64.add (call $widen (i32.const -1)) (i64.extend_i32_s (call $high (i64.const -0x2_0000_0000))))))))
          (func (export "doubles") (result f64)
            (f64.add (call $double) (f64.add (call $half (f64.const -3)) (call $div (f64.const 1) (f64.const 8))))))
        """, "test.wat");
    for (Engine e : List.of(engine, Engine.builder().target(Target.AARCH64).build())) {
      List<Object> seen = new ArrayList<>();
      try (Store store = new Store(e)) {
        Linker linker = new Linker(store)
            .func("h", "run", Runnable.class, () -> seen.add("run"))
            .func("h", "int", java.util.function.IntSupplier.class, () -> -100)
            .func("h", "long", java.util.function.LongSupplier.class, () -> 1L << 40)
            .func("h", "double", java.util.function.DoubleSupplier.class, () -> 0.25)
            .func("h", "takeInt", java.util.function.IntConsumer.class, seen::add)
            .func("h", "takeLong", java.util.function.LongConsumer.class, seen::add)
            .func("h", "takeDouble", java.util.function.DoubleConsumer.class, seen::add)
            .func("h", "negate", IntUnaryOperator.class, x -> -x)
            .func("h", "sub", IntBinaryOperator.class, (x, y) -> x - y)
            .func("h", "negateLong", LongUnaryOperator.class, x -> -x)
            .func("h", "subLong", java.util.function.LongBinaryOperator.class, (x, y) -> x - y)
            .func("h", "half", java.util.function.DoubleUnaryOperator.class, x -> x / 2)
            .func("h", "div", DoubleBinaryOperator.class, (x, y) -> x / y)
            .func("h", "widen", java.util.function.IntToLongFunction.class, x -> x)
            .func("h", "high", java.util.function.LongToIntFunction.class, x -> (int) (x >> 32));
        Instance instance = linker.instantiate(WasmModule.compile(e, wasm));
        assertEquals(-100 - 5 - 7, instance.func("ints", java.util.function.IntSupplier.class).getAsInt());
        assertEquals(List.of("run", -7, -0x1_0000_0003L, -2.5), seen);
        assertEquals((1L << 40) - 0x7_0000_0000L + (1 - 0x1_0000_0000L) - 1 - 2,
            instance.func("longs", java.util.function.LongSupplier.class).getAsLong());
        assertEquals(0.25 - 1.5 + 0.125, instance.func("doubles", java.util.function.DoubleSupplier.class).getAsDouble());
      }
    }
  }

  @Test
  void aSignatureThatIsNotTheFunctionsTypeIsRefusedNamingBoth() {
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(store, new ArrayList<>());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> instance.func("add", LongUnaryOperator.class));
      assertEquals("\"add\" is (i32 i32) -> (i32), LongUnaryOperator is (i64) -> (i64)", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> instance.func("add", Comparable.class));
      assertThrows(IllegalArgumentException.class, () -> instance.func("missing"));
    }
  }

  @Test
  void aTrapCarriesItsReasonAndWasmBacktrace() {
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(store, new ArrayList<>());
      Trap trap = assertThrows(Trap.class, () -> instance.func("outer", IntUnaryOperator.class).applyAsInt(0));
      assertEquals("integer divide by zero", trap.reason());
      assertEquals(List.of("inner", "outer"),
          trap.backtrace().stream().map(f -> f.function().orElse("?")).toList());
      assertTrue(trap.backtrace().getFirst().wasmOffset().isPresent());
      // The store runs code again after a trap.
      assertEquals(1, instance.func("outer", IntUnaryOperator.class).applyAsInt(1));
    }
  }

  @Test
  void aHostExceptionIsTheTrapsCause() {
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(store, new ArrayList<>());
      Trap trap = assertThrows(Trap.class, () -> instance.func("quadruple", IntUnaryOperator.class).applyAsInt(-1));
      assertEquals("host function failed", trap.reason());
      assertInstanceOf(IllegalArgumentException.class, trap.getCause());
      assertEquals("no negatives: -1", trap.getCause().getMessage());
    }
  }

  @Test
  void memoryGlobalAndTableAreViewsOfTheInstance() {
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(store, new ArrayList<>());
      Memory memory = instance.memory("memory");
      assertEquals(1, memory.pages());
      assertEquals("hello", memory.readString(16, 5));
      memory.write(16, "HELLO".getBytes(StandardCharsets.UTF_8));
      assertEquals(1, memory.grow(2));
      assertEquals(3 * Memory.PAGE_SIZE, memory.segment().byteSize());
      assertArrayEquals("HELLO".getBytes(StandardCharsets.UTF_8), memory.read(16, 5));

      Global counter = instance.global("counter");
      assertEquals(ValType.I64, counter.type());
      assertEquals(Val.i64(7), counter.get());
      counter.set(Val.i64(8));
      assertEquals(8, counter.get().asLong());
      assertThrows(IllegalArgumentException.class, () -> counter.set(Val.i32(1)));

      Table table = instance.table("table");
      assertEquals(ValType.FUNCREF, table.elementType());
      assertEquals(3, table.size());
      assertTrue(table.get(0).isNull());
      assertEquals(3, table.grow(2, new Val.Ref(ValType.FUNCREF, 0)));
      assertEquals(5, table.size());
    }
  }

  @Test
  void anInstancesExportsLinkIntoAnotherAsTheVerySameEntities() {
    try (Store store = new Store(engine)) {
      Instance calc = instantiate(store, new ArrayList<>());
      Linker linker = new Linker(store)
          .define("calc", "add", calc.func("add"))
          .define("calc", "memory", calc.memory("memory"))
          .define("calc", "counter", calc.global("counter"))
          .define("calc", "table", calc.table("table"));
      Instance user = linker.instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames("""
          (module
            (import "calc" "add" (func $add (param i32 i32) (result i32)))
            (import "calc" "memory" (memory 1))
            (import "calc" "counter" (global $counter (mut i64)))
            (import "calc" "table" (table 3 funcref))
            (func (export "poke") (result i32)
              (global.set $counter (i64.const 99))
              (i32.store8 (i32.const 16) (i32.const 74))
              (call $add (table.size 0) (i32.const 1))))
          """, "test.wat")));
      assertEquals(4, user.func("poke", java.util.function.IntSupplier.class).getAsInt());
      assertEquals(99, calc.global("counter").get().asLong());
      assertEquals("Jello", calc.memory("memory").readString(16, 5));
    }
  }

  @Test
  void fuelStopsALoopThatNeverEnds() {
    Engine metered = Engine.builder().consumeFuel(true).build();
    try (Store store = new Store(metered);
        WasmModule module = WasmModule.compile(metered, Wat.toBinaryWithNames("(module (func (export \"spin\") (loop $l (br $l))))", "test.wat"))) {
      store.setFuel(10_000);
      Trap trap = assertThrows(Trap.class, () -> new Linker(store).instantiate(module).func("spin").call());
      assertEquals("out of fuel", trap.reason());
      assertEquals(0, store.fuel());
    }
  }

  /** A FIFO with no writer would hang the load at opening it (red team 104 F1): refused first. */
  @Test
  void loadingAnArtifactThatIsNoRegularFileFailsWithoutWaiting(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("m.cwasm");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
    UncheckedIOException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
        () -> assertThrows(UncheckedIOException.class, () -> WasmModule.load(engine, fifo)));
    assertTrue(e.getMessage().contains("not a regular file, so not read as a .cwasm"), e.getMessage());
  }

  @Test
  void aModuleSerializesToACwasmThatLoadsWithoutCompiling(@TempDir Path dir) throws Exception {
    byte[] cwasm;
    try (WasmModule module = WasmModule.compile(engine, Wat.toBinaryWithNames(
        "(module (func (export \"fac\") (param i64) (result i64) (if (result i64) (i64.eqz (local.get 0))"
            + " (then (i64.const 1)) (else (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1))))))))", "test.wat"))) {
      cwasm = module.serialize();
      assertEquals(List.of(new ExportType("fac", FuncType.of(List.of(ValType.I64), List.of(ValType.I64)))),
          module.exports());
    }
    Path file = Files.write(dir.resolve("fac.cwasm"), cwasm);
    try (WasmModule fromBytes = WasmModule.deserialize(engine, cwasm); WasmModule fromFile = WasmModule.load(engine, file);
        Store store = new Store(engine)) {
      Linker linker = new Linker(store);
      assertEquals(2432902008176640000L, linker.instantiate(fromBytes).func("fac", LongUnaryOperator.class).applyAsLong(20));
      assertEquals(120L, linker.instantiate(fromFile).func("fac", LongUnaryOperator.class).applyAsLong(5));
    }
    KilnException refused = assertThrows(KilnException.class,
        () -> WasmModule.load(Engine.builder().epochInterruption(true).build(), file));
    assertTrue(refused.getMessage().startsWith(file + ": "), refused.getMessage());
  }

  @Test
  void importsAndExportsCarryTheirTypesBeforeInstantiation() {
    byte[] wasm = Wat.toBinaryWithNames("""
        (module
          (import "env" "t" (table 2 10 funcref))
          (import "env" "m" (memory 1 4))
          (import "env" "g" (global (mut i64)))
          (table (export "refs") 3 externref)
          (export "mem" (memory 0))
          (global (export "pi") f64 (f64.const 3.14))
          (func (export "f") (param v128) (result funcref) (ref.null func)))
        """, "test.wat");
    try (WasmModule module = WasmModule.compile(engine, wasm)) {
      assertEquals(List.of(
          new ImportType("env", "t", new TableType(ValType.FUNCREF, 2, OptionalLong.of(10), false)),
          new ImportType("env", "m", new MemoryType(1, OptionalLong.of(4), false, false)),
          new ImportType("env", "g", new GlobalType(ValType.I64, true))), module.imports());
      assertEquals(List.of(
          new ExportType("refs", new TableType(ValType.EXTERNREF, 3, OptionalLong.empty(), false)),
          new ExportType("mem", new MemoryType(1, OptionalLong.of(4), false, false)),
          new ExportType("pi", new GlobalType(ValType.F64, false)),
          new ExportType("f", FuncType.of(List.of(ValType.V128), List.of(ValType.FUNCREF)))), module.exports());
      assertEquals(List.of(ExternKind.TABLE, ExternKind.MEMORY, ExternKind.GLOBAL, ExternKind.FUNCTION),
          module.exports().stream().map(ExportType::kind).toList());
    }
  }

  @Test
  void valuesOfEveryTypeHaveFactories() {
    byte[] bytes = new byte[16];
    for (int i = 0; i < 16; i++) {
      bytes[i] = (byte) (i + 1);
    }
    assertEquals(Val.v128(0x0807060504030201L, 0x100F0E0D0C0B0A09L), Val.v128(bytes));
    assertThrows(IllegalArgumentException.class, () -> Val.v128(new byte[15]));
    assertTrue(Val.nullRef(ValType.FUNCREF).isNull());
    assertEquals(ValType.EXTERNREF, Val.nullRef(ValType.EXTERNREF).type());
    assertFalse(Val.i32(0).isNull());
    assertThrows(IllegalArgumentException.class, () -> Val.nullRef(ValType.I32));
    byte[] identity = Wat.toBinaryWithNames("""
        (module
          (func (export "v") (param v128) (result v128) (local.get 0))
          (func (export "isnull") (param funcref) (result i32) (ref.is_null (local.get 0))))
        """, "test.wat");
    try (WasmModule module = WasmModule.compile(engine, identity); Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      assertEquals(List.of(Val.v128(bytes)), instance.func("v").call(Val.v128(bytes)));
      assertEquals(List.of(Val.i32(1)), instance.func("isnull").call(Val.nullRef(ValType.FUNCREF)));
    }
  }

  @Test
  void modulesKilnCannotUseAreOneLineErrors() {
    KilnException malformed = assertThrows(KilnException.class,
        () -> WasmModule.compile(engine, new byte[] {0, 'a', 's', 'm', 9, 0, 0, 0}));
    assertTrue(malformed.getMessage().startsWith("malformed: "), malformed.getMessage());
    try (Store store = new Store(engine)) {
      KilnException unknown = assertThrows(KilnException.class, () -> new Linker(store).instantiate(
          WasmModule.compile(engine, CALC)));
      assertTrue(unknown.getMessage().startsWith("unknown import"), unknown.getMessage());
      assertEquals(List.of(new ImportType("env", "twice", FuncType.of(List.of(ValType.I32), List.of(ValType.I32))),
          new ImportType("env", "print", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()))),
          WasmModule.compile(engine, CALC).imports());
    }
  }

  @Test
  void aWasiGuestWritesToCapturedStdoutAndExitsWithItsStatus() {
    byte[] wasm = Wat.toBinaryWithNames("""
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 8) "\\10\\00\\00\\00\\03\\00\\00\\00")   ;; one iovec: 3 bytes at 16
          (data (i32.const 16) "hi\\n")
          (func (export "_start")
            (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 0)))
            (call $proc_exit (i32.const 3))))
        """, "test.wat");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Store store = new Store(engine); WasmModule module = WasmModule.compile(engine, wasm)) {
      Linker linker = new Linker(store).wasi(WasiOptions.builder().arg("guest").stdout(out).build());
      WasiExit exit = assertThrows(WasiExit.class, () -> linker.instantiate(module).func("_start").call());
      assertEquals(3, exit.status());
    }
    assertEquals("hi\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aPreopenThatIsNoDirectoryIsRefusedWithItsPathAndReason(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("file.txt"), "x");
    try (Store store = new Store(engine)) {
      for (Path host : List.of(file, dir.resolve("missing"))) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
            () -> new Linker(store).wasi(WasiOptions.builder().preopen(host, "/data").build()));
        assertEquals("cannot preopen " + host.toAbsolutePath() + ": "
            + (host.equals(file) ? "not a directory" : "no such file or directory"), e.getMessage());
      }
    }
  }

  @Test
  void aPerfMapEngineNamesTheFunctionsOfModulesCompiledFromBytes() throws Exception {
    Engine profiled = Engine.builder().perfMap(true).build();
    Path map = Path.of("/tmp", "perf-" + ProcessHandle.current().pid() + ".map");
    long before = Files.size(map);
    try (WasmModule module = WasmModule.compile(profiled, Wat.toBinaryWithNames("""
        (module (func $fac (export "fac") (param i64) (result i64)
          (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
            (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))
        """, "test.wat"))) {
      List<String> lines = Files.readString(map).substring((int) before).lines().toList();
      assertTrue(module.exports().stream().anyMatch(e -> e.name().equals("fac")));
      assertTrue(lines.stream().anyMatch(l -> l.matches("[0-9a-f]+ [0-9a-f]+ fac")), String.join("\n", lines));
      assertTrue(lines.stream().allMatch(l -> l.matches("[0-9a-f]+ [0-9a-f]+ \\S.*")), String.join("\n", lines));
    }
  }

  @Test
  void anEngineWithAModuleCacheCompilesOnceAndMapsTheEntryAfterwards(@TempDir Path cache) throws Exception {
    Engine cached = Engine.builder().moduleCache(cache, 1 << 30).build();
    for (int round = 0; round < 2; round++) {
      try (Store store = new Store(cached)) {
        Instance instance = instantiate(cached, store, new ArrayList<>());
        assertEquals(42, instance.func("add", IntBinaryOperator.class).applyAsInt(40, 2));
      }
      try (var entries = Files.list(cache)) {
        assertEquals(1, entries.filter(p -> p.toString().endsWith(".cwasm")).count(), "one entry after round " + round);
      }
    }
    Path entry;
    try (var entries = Files.list(cache)) {
      entry = entries.filter(p -> p.toString().endsWith(".cwasm")).findFirst().orElseThrow();
    }
    // A damaged entry is compiled again and replaced, never trusted.
    byte[] bytes = Files.readAllBytes(entry);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(entry, bytes);
    try (Store store = new Store(cached)) {
      assertEquals(7, instantiate(cached, store, new ArrayList<>()).func("add", IntBinaryOperator.class).applyAsInt(3, 4));
    }
    assertTrue(!java.util.Arrays.equals(bytes, Files.readAllBytes(entry)), "the damaged entry was replaced");
  }

  @Test
  void storeLimitsBoundMemoryGrowthAndInstantiation() {
    byte[] growing = Wat.toBinaryWithNames("""
        (module (memory (export "memory") 1)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
        """, "test.wat");
    // Three pages and the instance's VMContext (a few hundred bytes), which counts too.
    try (Store store = Store.builder(engine).maxMemoryBytes(3 * 65536 + 4096).build()) {
      Instance instance = new Linker(store).instantiate(WasmModule.compile(engine, growing));
      IntUnaryOperator grow = instance.func("grow", IntUnaryOperator.class);
      assertEquals(1, grow.applyAsInt(2), "1 + 2 pages fit in 3");
      assertEquals(-1, grow.applyAsInt(1), "a fourth page is past the store's limit");
      KilnException refused = assertThrows(KilnException.class,
          () -> new Linker(store).instantiate(WasmModule.compile(engine, growing)));
      assertTrue(refused.getMessage().contains("memory"), refused.getMessage());
    }
  }

  @Test
  void aStoresByteLimitBoundsItsTablesAndItsElementLimitTheirElements() {
    byte[] tables = Wat.toBinaryWithNames("""
        (module (table 0 funcref) (table 0 funcref)
          (func (export "grow0") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0)))
          (func (export "grow1") (param i32) (result i32) (table.grow 1 (ref.null func) (local.get 0))))
        """, "test.wat");
    try (Store store = Store.builder(engine).maxMemoryBytes(1 << 20).maxTableElements(Long.MAX_VALUE).build()) {
      Instance instance = new Linker(store).instantiate(WasmModule.compile(engine, tables));
      IntUnaryOperator grow0 = instance.func("grow0", IntUnaryOperator.class);
      IntUnaryOperator grow1 = instance.func("grow1", IntUnaryOperator.class);
      assertEquals(-1, grow0.applyAsInt(1 << 24), "2^24 slots are 128 MiB, past the store's 1 MiB");
      assertEquals(0, grow0.applyAsInt(100_000), "800 KB of slots fit");
      assertEquals(-1, grow1.applyAsInt(100_000), "the second table shares the store's bytes");
    }
    try (Store store = Store.builder(engine).maxTableElements(10).build()) {
      Instance instance = new Linker(store).instantiate(WasmModule.compile(engine, tables));
      assertEquals(0, instance.func("grow0", IntUnaryOperator.class).applyAsInt(6));
      assertEquals(-1, instance.func("grow1", IntUnaryOperator.class).applyAsInt(5));
      assertEquals(0, instance.func("grow1", IntUnaryOperator.class).applyAsInt(4));
    }
  }
}
