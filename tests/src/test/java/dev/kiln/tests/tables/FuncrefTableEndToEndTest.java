package dev.kiln.tests.tables;

import static dev.kiln.tests.support.Invocations.call;
import static dev.kiln.tests.support.Invocations.trap;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lazily initialised and strict funcref tables through the real pipeline (compiler, artifact,
 * loader, x86-64): both settings give the same wasm-visible behaviour, including table.copy,
 * table.fill and table.grow over slots a lazy table has not initialised yet; the lazy table's
 * slots really start uninitialised and are filled by compiled code on first use; the lazy-init
 * builtin is pure compiled code; and the setting is enforced at load and link time.
 */
class FuncrefTableEndToEndTest {
  private static final X64Backend BACKEND = new X64Backend(CpuFeatures.host(), true);

  /** Slots: 0 $a, 1 $b, 2 $c (other type), 3-4 null, 5 $b, 6-7 null; max 16. */
  private static final String MODULE = """
      (module
        (type $ii (func (result i32)))
        (func $a (result i32) (i32.const 10))
        (func $b (result i32) (i32.const 20))
        (func $c (param i32) (result i32) (local.get 0))
        (table $t (export "table") 8 16 funcref)
        (elem (table $t) (i32.const 0) func $a $b $c)
        (elem (table $t) (i32.const 5) func $b)
        (func (export "call") (param i32) (result i32) (call_indirect $t (type $ii) (local.get 0)))
        (func (export "get") (param i32) (result funcref) (table.get $t (local.get 0)))
        (func (export "ref_a") (result funcref) (ref.func $a))
        (func (export "ref_b") (result funcref) (ref.func $b))
        (func (export "set_a") (param i32) (table.set $t (local.get 0) (ref.func $a)))
        (func (export "copy") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
        (func (export "fill_null") (param i32 i32) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
        (func (export "fill_b") (param i32 i32) (table.fill $t (local.get 0) (ref.func $b) (local.get 1)))
        (func (export "grow_a") (param i32) (result i32) (table.grow $t (ref.func $a) (local.get 0)))
        (func (export "size") (result i32) (table.size $t)))
      """;

  private final NativeStore store = new NativeStore();
  private final List<LoadedInstance> instances = new ArrayList<>();
  private final List<LoadedModule> modules = new ArrayList<>();

  /** Instances first, then the store (which owns an instance whose instantiation failed), then modules. */
  @AfterEach
  void close() {
    instances.reversed().forEach(LoadedInstance::close);
    store.close();
    modules.forEach(LoadedModule::close);
  }

  private CompiledModule compile(String wat, boolean lazy) throws Exception {
    return Compiler.compile(Wasm.load(Wat.toBinaryWithNames(wat, "test.wat")), BACKEND, CompileOptions.defaults().withTableLazyInit(lazy));
  }

  private LoadedModule load(String wat, boolean lazy) throws Exception {
    CompiledModule compiled = compile(wat, lazy);
    LoadedModule module = LoadedModule.fromBytes(ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "test"), null);
    modules.add(module);
    return module;
  }

  private LoadedInstance instantiate(LoadedModule module, List<Extern> imports) {
    LoadedInstance instance = LoadedInstance.instantiate(module, store, imports);
    instances.add(instance);
    return instance;
  }

  private static long stored(LoadedInstance instance, int slot) {
    return instance.table(0).getAtIndex(JAVA_LONG, slot);
  }

  @ParameterizedTest(name = "lazy={0}")
  @ValueSource(booleans = {true, false})
  void callIndirectChecksBoundsNullAndSignature(boolean lazy) throws Exception {
    LoadedInstance instance = instantiate(load(MODULE, lazy), List.of());
    assertEquals(10, call(instance, "call", 0));
    assertEquals(20, call(instance, "call", 1));
    assertEquals(20, call(instance, "call", 5));
    assertEquals(TrapCode.BAD_SIGNATURE, trap(instance, "call", 2));
    assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 3));
    assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, "call", 8));
    assertEquals(call(instance, "ref_a"), call(instance, "get", 0), "table.get gives the VMFuncRef ref.func gives");
    assertEquals(0, call(instance, "get", 4));
  }

  @Test
  void lazySlotsStartUninitialisedAndTheFirstUseFillsThemInCompiledCode() throws Exception {
    LoadedInstance instance = instantiate(load(MODULE, true), List.of());
    for (int slot = 0; slot < 8; slot++) {
      assertEquals(0, stored(instance, slot), "slot " + slot + " before any use");
    }
    assertEquals(20, call(instance, "call", 1));
    assertEquals(call(instance, "ref_b") | TableStorage.INIT_BIT, stored(instance, 1), "tagged after the call");
    // An image shorter than a group (LazyTableInitBuiltin.GROUP): only the slot read is initialised.
    assertEquals(0, stored(instance, 0), "an untouched slot stays uninitialised");
    assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 3));
    assertEquals(TableStorage.INIT_BIT, stored(instance, 3), "an initialised null from the image");
    assertEquals(0, stored(instance, 6), "past the image (slots 0-5): untouched until read");
    assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 6));
    assertEquals(TableStorage.INIT_BIT, stored(instance, 6), "an initialised null");
    assertEquals(0, stored(instance, 7));
    assertEquals(call(instance, "ref_a"), ((Extern.Table) instance.export("table").orElseThrow()).table().get(0),
        "the loader resolves the same way");
  }

  /** 128 slots: 0-63 alternate $a/$b from one segment (one whole group of the image), 64-127 null. */
  private static String groupModule() {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      items.append(i % 2 == 0 ? " $a" : " $b");
    }
    return """
        (module
          (type $ii (func (result i32)))
          (func $a (result i32) (i32.const 10))
          (func $b (result i32) (i32.const 20))
          (table $t 128 funcref)
          (elem (table $t) (i32.const 0) func%s)
          (func (export "call") (param i32) (result i32) (call_indirect $t (type $ii) (local.get 0)))
          (func (export "set_a") (param i32) (table.set $t (local.get 0) (ref.func $a)))
          (func (export "fill_null") (param i32 i32) (table.fill $t (local.get 0) (ref.null func) (local.get 1))))
        """.formatted(items);
  }

  @Test
  void theFirstUseInitialisesItsWholeGroupAndKeepsSlotsWrittenBefore() throws Exception {
    LoadedInstance instance = instantiate(load(groupModule(), true), List.of());
    call(instance, "set_a", 5); // the image says $b; nothing has read the group yet
    call(instance, "fill_null", 2, 1); // the image says $a
    assertEquals(20, call(instance, "call", 1)); // initialises slots 0-63 from the image
    for (int slot = 0; slot < 64; slot++) {
      assertNotEquals(0, stored(instance, slot), "slot " + slot + " of the group");
    }
    assertEquals(0, stored(instance, 64), "past the image: untouched");
    assertEquals(10, call(instance, "call", 5), "table.set survives the group's initialisation");
    assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 2), "table.fill survives too");
    assertEquals(10, call(instance, "call", 62));
    assertEquals(20, call(instance, "call", 63));
    assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 100));
  }

  @Test
  void strictSlotsAreFilledAtInstantiation() throws Exception {
    LoadedInstance instance = instantiate(load(MODULE, false), List.of());
    assertEquals(call(instance, "ref_a"), stored(instance, 0));
    assertEquals(call(instance, "ref_b"), stored(instance, 1));
    assertNotEquals(0, stored(instance, 2));
    assertEquals(0, stored(instance, 3));
    assertEquals(call(instance, "ref_b"), stored(instance, 5));
  }

  @ParameterizedTest(name = "lazy={0}")
  @ValueSource(booleans = {true, false})
  void copyFillAndGrowOverUntouchedSlots(boolean lazy) throws Exception {
    LoadedInstance instance = instantiate(load(MODULE, lazy), List.of());
    call(instance, "copy", 3, 0, 2); // uninitialised $a $b onto uninitialised nulls
    assertEquals(10, call(instance, "call", 3));
    assertEquals(20, call(instance, "call", 4));
    call(instance, "copy", 6, 5, 1);
    assertEquals(20, call(instance, "call", 6));
    call(instance, "fill_null", 0, 2);
    assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 0));
    assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 1));
    assertEquals(20, call(instance, "call", 5), "a slot no write touched still has its segment's function");
    call(instance, "fill_b", 7, 1);
    assertEquals(20, call(instance, "call", 7));
    assertEquals(8, call(instance, "grow_a", 2));
    assertEquals(10, call(instance, "size"));
    assertEquals(10, call(instance, "call", 9));
    assertEquals(0xFFFF_FFFFL, call(instance, "grow_a", 7), "past the maximum of 16");
    assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "fill_b", 9, 2));
    assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "copy", 0, 9, 2));
    call(instance, "set_a", 2);
    assertEquals(10, call(instance, "call", 2));
  }

  @Test
  void theLazyInitBuiltinIsCompiledCodeThatCallsNothing() throws Exception {
    CompiledModule lazy = compile(MODULE, true);
    CompiledFunction builtin = lazy.functions().get(FuncKey.builtin(Builtin.TABLE_LAZY_INIT.index()))
        .orElseThrow(() -> new AssertionError("not compiled under its own FuncKey"));
    // Its only call is the prologue's stack-overflow exit to the trap handler: no runtime call, no search.
    assertTrue(builtin.relocs().stream().allMatch(
            r -> r.targetKey() == FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()).raw()),
        builtin.relocs().toString());
    LoadedModule module = load(MODULE, true);
    assertTrue(module.code(FuncKey.builtin(Builtin.TABLE_LAZY_INIT.index())).isPresent(), "kept in .text");
    assertFalse(compile(MODULE, false).functions().containsKey(FuncKey.builtin(Builtin.TABLE_LAZY_INIT.index())),
        "a strict artifact has no lazy-init builtin");
  }

  @Test
  void loadingWithTheOtherSettingIsRefused() throws Exception {
    CompiledModule lazy = compile(MODULE, true);
    byte[] artifact = ArtifactEmitter.emit(lazy, ArtifactEmitter.link(lazy), "test");
    Map<String, String> engine = new java.util.HashMap<>(lazy.settings());
    assertEquals("true", engine.get(TableStorage.LAZY_INIT_SETTING));
    engine.put(TableStorage.LAZY_INIT_SETTING, "false");
    var e = assertThrows(IncompatibleArtifactException.class, () -> LoadedModule.fromBytes(artifact, engine));
    assertTrue(e.getMessage().contains(TableStorage.LAZY_INIT_SETTING), e.getMessage());
    try (LoadedModule ok = LoadedModule.fromBytes(artifact, lazy.settings())) {
      assertTrue(ok.info().tables().size() == 1);
    }
  }

  @Test
  void linkingATableAcrossSettingsIsRefusedAndWorksWithin() throws Exception {
    String run = """
        (module
          (type $ii (func (result i32)))
          (import "" "table" (table 8 funcref))
          (func (export "call") (param i32) (result i32) (call_indirect (type $ii) (local.get 0))))
        """;
    LoadedInstance strictOwner = instantiate(load(MODULE, false), List.of());
    Extern table = strictOwner.export("table").orElseThrow();
    LoadedModule lazyRun = load(run, true);
    Exception e = assertThrows(RuntimeException.class, () -> instantiate(lazyRun, List.of(table)));
    assertTrue(String.valueOf(e.getMessage()).contains(TableStorage.LAZY_INIT_SETTING), e.getMessage());

    LoadedInstance lazyOwner = instantiate(load(MODULE, true), List.of());
    LoadedInstance importer = instantiate(load(run, true), List.of(lazyOwner.export("table").orElseThrow()));
    assertEquals(20, call(importer, "call", 5), "the importer initialises the owner's slot from the owner's image");
    assertEquals(20, call(lazyOwner, "call", 5));
    assertEquals(TrapCode.BAD_SIGNATURE, trap(importer, "call", 2));
    MemorySegment slots = lazyOwner.table(0);
    assertEquals(call(lazyOwner, "ref_b") | TableStorage.INIT_BIT, slots.getAtIndex(JAVA_LONG, 5));
  }
}
