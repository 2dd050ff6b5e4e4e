package dev.kiln.tests.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.ImportLinkException;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmFrame;
import dev.kiln.loader.runtime.WasmValue;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A .cwasm written to disk, mapped by the loader, instantiated and run: exports called through
 * their trampolines, traps, memory.grow through the builtin upcall, data and element segments,
 * globals and the start function, and damaged or foreign files refused before any code runs.
 */
class LoaderEndToEndTest {
  @TempDir
  Path dir;

  private NativeStore store;
  private LoadedModule module;
  private LoadedInstance instance;

  @BeforeEach
  void load() throws IOException {
    store = new NativeStore();
    module = LoadedModule.open(write("module.cwasm", HandBuiltArtifact.build()));
    instance = LoadedInstance.instantiate(module, store);
  }

  @AfterEach
  void close() {
    instance.close();
    module.close();
    store.close();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path path = dir.resolve(name);
    Files.write(path, bytes);
    return path;
  }

  private int i32(String name, long... args) {
    List<WasmValue> results = instance.invoke(name, args);
    assertEquals(1, results.size());
    return ((WasmValue.I32) results.getFirst()).value();
  }

  @Test
  void exportsRunThroughTheirTrampolines() {
    assertEquals(5, i32("add", 2, 3));
    assertEquals(-7, i32("add", -3, -4));
    assertEquals(Integer.MIN_VALUE, i32("add", Integer.MAX_VALUE, 1));
    assertEquals(-3, i32("div", 7, -2));
    assertEquals(List.of(new WasmValue.I32(5)), instance.invoke("add", 2, 3));
  }

  @Test
  void aTrapBecomesTrapAndTheInstanceStaysUsable() {
    TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("div", 1, 0));
    assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, trap.code());
    long divStart = module.code(FuncKey.definedWasmFunction(0, HandBuiltArtifact.DIV)).orElseThrow().address();
    long loadStart = module.code(FuncKey.definedWasmFunction(0, HandBuiltArtifact.LOAD)).orElseThrow().address();
    assertTrue(trap.pc() > divStart && trap.pc() < loadStart, "trap pc inside div");
    List<WasmFrame> frames = trap.backtrace();
    assertEquals(FuncKey.definedWasmFunction(0, HandBuiltArtifact.DIV), frames.getFirst().key());
    assertTrue(frames.getFirst().isWasmFunction());
    assertEquals(1, frames.size(), "div was called from the host: no wasm callers");
    assertEquals(java.util.Optional.of("add"),
        module.framesAt(module.code(FuncKey.definedWasmFunction(0, HandBuiltArtifact.ADD)).orElseThrow().address() + 1)
            .getFirst().name());
    assertTrue(module.framesAt(module.textAddress()).isEmpty(), "pc - 1 lies before .text");
    // the collector's frame walk finds a frame's module by this range check (no frame named): the
    // same range framesAt names frames in, the call at pc - 1 inside .text
    long textEnd = module.textAddress() + module.file().text().byteSize();
    assertTrue(module.contains(module.textAddress() + 1), "the first byte's call");
    assertTrue(module.contains(textEnd), "the last byte's call");
    assertFalse(module.contains(module.textAddress()), "pc - 1 lies before .text");
    assertFalse(module.contains(textEnd + 1), "pc - 1 lies after .text");
    assertEquals(TrapCode.INTEGER_OVERFLOW,
        assertThrows(TrapException.class, () -> instance.invoke("div", Integer.MIN_VALUE, -1)).code());
    assertEquals(4, i32("div", 9, 2));
  }

  @Test
  void globalsAreInitialisedInOrderAndTheStartFunctionRanOnce() {
    assertEquals(42, i32("g0"), "40 + 2 by an extended constant expression");
    assertEquals(142, i32("g1"), "the start function stored g0 + 100");
    assertEquals(42, instance.globalBits(0));
    assertEquals(142, instance.globalBits(1));
  }

  @Test
  void activeDataSegmentsAreCopiedAndPassiveOnesAreNot() {
    assertEquals(42, i32("load", 16));
    assertEquals(0x11223344, i32("load", 42), "offset from global.get of g0");
    assertEquals(0, i32("load", 8 + 24), "nothing where the passive segment would go");
    MemorySegment memory = instance.memory(0);
    assertEquals(MemoryType.PAGE_SIZE, memory.byteSize());
    byte[] copied = memory.asSlice(16, 4).toArray(ValueLayout.JAVA_BYTE);
    assertArrayEquals(Arrays.copyOfRange(HandBuiltArtifact.DATA, 0, 4), copied);
  }

  @Test
  void loadsOutOfBoundsTrapUntilTheMemoryGrows() {
    assertEquals(0, i32("load", 65532));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, assertThrows(TrapException.class, () -> instance.invoke("load", 65533)).code());
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, assertThrows(TrapException.class, () -> instance.invoke("load", -1)).code());
    assertEquals(MemoryType.PAGE_SIZE, ((WasmValue.I64) instance.invoke("bytes").getFirst()).value());

    MemoryInstance memory = ((Extern.Memory) instance.export("memory").orElseThrow()).memory();
    assertEquals(1, memory.grow(1), "memory.grow returns the old size in pages");
    assertEquals(2, instance.memoryPages(0));
    assertEquals(2 * MemoryType.PAGE_SIZE, ((WasmValue.I64) instance.invoke("bytes").getFirst()).value(),
        "the grow updated the length compiled code reads");
    assertEquals(0, i32("load", 65533), "new pages read as zero");
    instance.memory(0).set(ValueLayout.JAVA_INT_UNALIGNED, 100_000, 77);
    assertEquals(77, i32("load", 100_000));
    assertEquals(42, i32("load", 16), "the base did not move");

    assertEquals(-1, memory.grow(HandBuiltArtifact.MAX_PAGES - 1), "past the declared maximum");
    assertEquals(2, instance.memoryPages(0), "a failed grow changes nothing");
    assertEquals(2, memory.grow(0));
    assertEquals(2, memory.grow(2));
    assertEquals(HandBuiltArtifact.MAX_PAGES, instance.memoryPages(0));
  }

  @Test
  void elementSegmentsFillTheTableWithVmFuncRefs() {
    MemorySegment table = instance.table(0);
    assertEquals(4 * 8, table.byteSize());
    assertEquals(0, table.getAtIndex(ValueLayout.JAVA_LONG, 0));
    assertEquals(0, table.getAtIndex(ValueLayout.JAVA_LONG, 3));
    VmLayout layout = new VmLayout(module.info().vmShape());
    MemorySegment vmctx = instance.vmctx();
    for (int slot = 1; slot <= 2; slot++) {
      int function = slot == 1 ? HandBuiltArtifact.ADD : HandBuiltArtifact.DIV;
      int escape = module.info().funcRefIndex(function).orElseThrow();
      long funcRef = table.getAtIndex(ValueLayout.JAVA_LONG, slot);
      assertEquals(vmctx.address() + layout.funcRef(escape), funcRef);
      long at = layout.funcRef(escape);
      assertEquals(module.code(FuncKey.definedWasmFunction(0, function)).orElseThrow().address(),
          vmctx.get(ValueLayout.JAVA_LONG, at + VmLayout.FUNC_REF_WASM_CALL));
      assertEquals(module.code(FuncKey.arrayToWasmTrampoline(0, function)).orElseThrow().address(),
          vmctx.get(ValueLayout.JAVA_LONG, at + VmLayout.FUNC_REF_ARRAY_CALL));
      assertEquals(vmctx.address(), vmctx.get(ValueLayout.JAVA_LONG, at + VmLayout.FUNC_REF_VMCTX));
      assertEquals(0, vmctx.get(ValueLayout.JAVA_INT, at + VmLayout.FUNC_REF_TYPE_ID), "type 0, (i32, i32) -> i32");
    }
    assertEquals(0, vmctx.get(ValueLayout.JAVA_INT, layout.typeId(5)), "type 5 repeats type 0 and shares its id");
    assertEquals(1, vmctx.get(ValueLayout.JAVA_INT, layout.typeId(1)));
    assertEquals(store.context().address(), vmctx.get(ValueLayout.JAVA_LONG, VmLayout.STORE_CONTEXT));
  }

  @Test
  void textIsMappedFromTheFileNotCopied() {
    byte[] bytes = HandBuiltArtifact.build();
    long textOffset = CwasmFile.open(MemorySegment.ofArray(bytes)).fileOffset(KilnSection.TEXT);
    assertEquals(module.file().file().address() + textOffset, module.textAddress());
    assertEquals(0, module.textAddress() % Target.X86_64.pageSize());
  }

  @Test
  void anArtifactInMemoryLoadsLikeAFile() {
    try (LoadedModule inMemory = LoadedModule.fromBytes(HandBuiltArtifact.build(), null);
        LoadedInstance fromMemory = LoadedInstance.instantiate(inMemory, store)) {
      assertEquals(List.of(new WasmValue.I32(9)), fromMemory.invoke("add", 4, 5));
      assertEquals(0, inMemory.textAddress() % Target.X86_64.pageSize());
      assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO,
          assertThrows(TrapException.class, () -> fromMemory.invoke("div", 4, 0)).code());
    }
    byte[] bytes = HandBuiltArtifact.build();
    assertThrows(CorruptArtifactException.class, () -> LoadedModule.fromBytes(new byte[0], null));
    assertThrows(CorruptArtifactException.class,
        () -> LoadedModule.fromBytes(Arrays.copyOf(bytes, bytes.length - 1), null));
  }

  @Test
  void aModuleClosedBeforeItsInstanceStaysMappedUntilTheInstanceGoes() {
    module.close();
    assertEquals(5, i32("add", 2, 3), "the instance still runs from the mapped code");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> LoadedInstance.instantiate(module, store));
    assertTrue(e.getMessage().contains("is closed; it cannot be instantiated"), e.getMessage());
    assertEquals(1, module.framesAt(module.textAddress() + 1).size(), "the index is still mapped");
    instance.close();
    instance.close();
    assertTrue(module.framesAt(module.textAddress() + 1).isEmpty(), "the last instance unmapped it");
    assertFalse(module.contains(module.textAddress() + 1), "an unmapped module's range holds no frame of it");
    module.close();
    e = assertThrows(IllegalStateException.class, () -> instance.invoke("add", 1, 2));
    assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
  }

  @Test
  void usageErrorsAreClear() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> instance.invoke("nope")).getMessage()
        .contains("no export named \"nope\""));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> instance.invoke("memory")).getMessage()
        .contains("is a memory"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> instance.invoke("add", 1)).getMessage()
        .contains("takes 2 arguments"));
  }

  @Test
  void aSegmentThatDoesNotFitMakesTheModuleUninstantiable() throws IOException {
    byte[] bytes = HandBuiltArtifact.build(HandBuiltArtifact.info(65533, List.of()), Target.X86_64);
    try (LoadedModule bad = LoadedModule.open(write("oob.cwasm", bytes))) {
      ModuleInstantiationException e = assertThrows(ModuleInstantiationException.class, () -> LoadedInstance.instantiate(bad, store));
      assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, e.trapCode().orElseThrow());
      assertTrue(e.getMessage().endsWith("out of bounds memory access"), e.getMessage());
    }
  }

  @Test
  void aModuleWhoseImportsAreNotGivenIsUnlinkableWithTheSpecsWords() throws IOException {
    byte[] bytes = HandBuiltArtifact.build(HandBuiltArtifact.withImport(), Target.X86_64);
    try (LoadedModule imports = LoadedModule.open(write("imports.cwasm", bytes))) {
      ImportLinkException e = assertThrows(ImportLinkException.class, () -> LoadedInstance.instantiate(imports, store));
      assertTrue(e.getMessage().startsWith("unknown import"), e.getMessage());
      assertTrue(e.getMessage().contains("\"env\" \"tick\" (function)"), e.getMessage());
    }
  }

  @Test
  void twoInstancesOfOneModuleHaveTheirOwnMemory() {
    try (LoadedInstance second = LoadedInstance.instantiate(module, store)) {
      assertEquals(1, ((Extern.Memory) instance.export("memory").orElseThrow()).memory().grow(1));
      assertEquals(1, second.memoryPages(0));
      assertEquals(2, instance.memoryPages(0));
      assertEquals(42, ((WasmValue.I32) second.invoke("load", 16).getFirst()).value());
    }
  }

  // ---- files refused before anything runs: their code would crash the JVM if it ran ----

  @Test
  void truncatedFilesAreCorrupt() throws IOException {
    byte[] bytes = HandBuiltArtifact.build();
    for (int length : new int[] {0, 10, 64, 1000, bytes.length / 2, bytes.length - 1}) {
      Path path = write("cut" + length + ".cwasm", Arrays.copyOf(bytes, length));
      assertThrows(CorruptArtifactException.class, () -> LoadedModule.open(path), "length " + length);
    }
  }

  @Test
  void damagedModuleInfoIsCorrupt() throws IOException {
    byte[] bytes = HandBuiltArtifact.build();
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(bytes));
    int info = (int) file.fileOffset(KilnSection.INFO);
    byte[] damaged = bytes.clone();
    damaged[info] ^= 0x40; // the magic
    CorruptArtifactException sealed = assertThrows(CorruptArtifactException.class,
        () -> LoadedModule.open(write("info.cwasm", damaged)));
    assertTrue(sealed.getMessage().startsWith(".kiln.seal at file offset 0x"), sealed.getMessage());
    // With a recomputed seal (a faulty writer, not a faulty disk) the decoder finds the damage.
    ArtifactSeal.seal(damaged);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
        () -> LoadedModule.open(write("info-resealed.cwasm", damaged)));
    assertEquals(".kiln.info at file offset 0x" + Integer.toHexString(info) + ": bad magic (not module info)",
        e.getMessage());
  }

  @Test
  void foreignAndIncompatibleFilesAreRefused() throws IOException {
    Path wasm = write("plain.wasm", new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    assertThrows(CorruptArtifactException.class, () -> LoadedModule.open(wasm));
    byte[] aarch64 = HandBuiltArtifact.build(HandBuiltArtifact.info(16, List.of()), Target.AARCH64);
    Path arm = write("arm.cwasm", aarch64);
    if (Executors.canRun(Target.AARCH64)) {
      // An x86-64 host with libunicorn2 runs AArch64 code emulated.
      try (LoadedModule emulated = LoadedModule.open(arm)) {
        assertEquals(Target.AARCH64, emulated.file().target());
      }
    } else {
      IncompatibleArtifactException e = assertThrows(IncompatibleArtifactException.class, () -> LoadedModule.open(arm));
      assertTrue(e.getMessage().contains("compiled for aarch64"), e.getMessage());
    }
    Path ok = write("settings.cwasm", HandBuiltArtifact.build());
    assertThrows(IncompatibleArtifactException.class, () -> LoadedModule.open(ok, Map.of("test.hand-built", "2")));
    try (LoadedModule matching = LoadedModule.open(ok, Map.of("test.hand-built", "1"))) {
      assertEquals(HandBuiltArtifact.FUNCTIONS, matching.info().functionTypes().size());
    }
  }
}
