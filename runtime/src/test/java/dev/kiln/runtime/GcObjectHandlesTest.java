package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.StoreLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GC references at the Java boundary, as an attacker would use it (red team 8 F6): a function
 * returning a concrete struct reference gave Java a funcref handle (its type said {@code
 * funcref}), and every fresh object became a permanent entry of the store's function handles,
 * unbounded Java heap outside every limit. Now an object reaches Java as an {@link AnyRef} slot of
 * a capped table, its type is described precisely, and it goes back in only to its own open store
 * and only where its type fits; a word Java makes up inside the heap is no object. Both targets.
 */
class GcObjectHandlesTest {
  private static final String MODULE = """
      (module
        (type $s (struct (field i32)))
        (type $a (array (mut i8)))
        (type $f (func (result i32)))
        (table (export "objects") 2 anyref)
        (global (export "kept") (mut anyref) (ref.null any))
        (global (export "fixed") (ref $s) (struct.new $s (i32.const 7)))
        (func (export "mk") (param i32) (result (ref $s)) (struct.new $s (local.get 0)))
        (func (export "arr") (result (ref $a)) (array.new_default $a (i32.const 3)))
        (func (export "field") (param anyref) (result i32) (struct.get $s 0 (ref.cast (ref $s) (local.get 0))))
        (func (export "same") (param anyref anyref) (result i32)
          (ref.eq (ref.cast eqref (local.get 0)) (ref.cast eqref (local.get 1))))
        (func (export "internalize") (param anyref) (result externref) (extern.convert_any (local.get 0)))
        (func (export "externalize") (param externref) (result anyref) (any.convert_extern (local.get 0)))
        (func (export "len") (param arrayref) (result i32) (array.len (local.get 0)))
        (func (export "i31") (param i32) (result i31ref) (ref.i31 (local.get 0)))
        (func $one (type $f) (i32.const 1))
        (elem declare func $one)
        (func (export "fn") (result (ref $f)) (ref.func $one)))
      """;

  private static Engine engine(Target target) {
    return Engine.builder().target(target).build();
  }

  private static WasmModule module(Engine engine) {
    return WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(MODULE, "objects.wat"));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aStructResultIsAnObjectHandleOfItsPreciseTypeNeverAFuncref(Target target) {
    Engine engine = engine(target);
    try (WasmModule module = module(engine); Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      Func mk = instance.func("mk");
      RefType result = (RefType) mk.type().preciseResults().get(0);
      assertFalse(result.nullable());
      HeapType.Concrete struct = assertInstanceOf(HeapType.Concrete.class, result.heap());
      assertEquals(HeapType.Kind.STRUCT, struct.kind());
      assertEquals(List.of(ValType.ANYREF), mk.type().results(), "a struct travels as an anyref, not a funcref");
      assertEquals("(i32) -> ((ref struct:" + struct.typeId() + "))", mk.type().toString());

      Val made = mk.call(Val.i32(42)).get(0);
      Val.Gc object = assertInstanceOf(Val.Gc.class, made, "a struct is no funcref handle: " + made);
      assertEquals(AnyRef.Kind.STRUCT, object.object().kind());
      assertFalse(object.toString().contains("0x"), "no address reaches Java: " + object);
      assertEquals(List.of(Val.i32(42)), instance.func("field").call(made), "the same object comes back");
      // the F6 reproduction: a struct handed to a funcref slot is refused by type, not taken for a function
      assertThrows(IllegalArgumentException.class, () -> instance.table("objects").set(0, new Val.Ref(ValType.FUNCREF,
          1)));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void theModuleAndTheInstanceDescribeGcTypesAlike(Target target) {
    Engine engine = engine(target);
    try (WasmModule module = module(engine); Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      assertEquals(module.exports(), instance.exports().stream()
          .sorted(java.util.Comparator.comparingInt(e -> module.exports().stream().map(ExportType::name).toList()
              .indexOf(e.name()))).toList());
      GlobalType fixed = instance.global("fixed").globalType();
      assertFalse(fixed.mutable());
      assertEquals(ValType.ANYREF, fixed.content());
      assertEquals(instance.func("mk").type().preciseResults().get(0), fixed.precise(), "one type, one number");
      TableType objects = instance.table("objects").type();
      assertEquals(RefType.ANYREF, objects.preciseElement());
      assertEquals(ValType.ANYREF, instance.table("objects").elementType());
      assertEquals("(i32) -> (i31ref)", instance.func("i31").type().toString());
      assertEquals("(arrayref) -> (i32)", instance.func("len").type().toString());
      RefType function = (RefType) instance.func("fn").type().preciseResults().get(0);
      assertEquals(HeapType.Kind.FUNC, ((HeapType.Concrete) function.heap()).kind());
      assertEquals(List.of(ValType.FUNCREF), instance.func("fn").type().results());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aGuestCannotMakeTheHostHoldObjectsWithoutBound(Target target) {
    Engine engine = engine(target);
    int limit = 100;
    try (WasmModule module = module(engine); Store store = Store.builder(engine).maxObjectHandles(limit).build()) {
      Instance instance = new Linker(store).instantiate(module);
      Func mk = instance.func("mk");
      List<Val> kept = new ArrayList<>();
      for (int i = 0; i < limit; i++) {
        kept.add(mk.call(Val.i32(i)).get(0));
      }
      KilnException full = assertThrows(KilnException.class, () -> mk.call(Val.i32(-1)));
      assertTrue(full.getMessage().contains("holds " + limit + " object handles"), full.getMessage());
      assertEquals(limit, AnyRef.handlesOf(store.internal()).size(), "entries, counted: no more than the limit");
      assertEquals(List.of(Val.i32(limit - 1)), instance.func("field").call(kept.getLast()), "held ones stay valid");
      List<Val> stillHeld = List.copyOf(kept);

      // red team 8's StructHandleGrowth, counted: objects never become function handles
      kept.clear();
      for (int i = 0; i < 1000; i++) {
        assertThrows(KilnException.class, () -> mk.call(Val.i32(-1)));
      }
      assertEquals(0, FunctionHandles.of(store.internal()).size(), "no struct became a function handle");
      // the same function returned again and again is one handle, not one per call
      Val function = instance.func("fn").call().get(0);
      for (int i = 0; i < 1000; i++) {
        assertEquals(function, instance.func("fn").call().get(0));
      }
      assertEquals(1, FunctionHandles.of(store.internal()).size(), "one function, one entry");
      // an i31 is a value, no entry
      assertEquals(new Val.Ref(ValType.ANYREF, (5L << 1) | 1), instance.func("i31").call(Val.i32(5)).get(0));
      assertEquals(limit, AnyRef.handlesOf(store.internal()).size());
      assertEquals(limit, stillHeld.size());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void droppedHandlesFreeTheirSlots(Target target) throws InterruptedException {
    Engine engine = engine(target);
    int limit = 10;
    try (WasmModule module = module(engine); Store store = Store.builder(engine).maxObjectHandles(limit).build()) {
      Instance instance = new Linker(store).instantiate(module);
      Func mk = instance.func("mk");
      for (int i = 0; i < limit; i++) {
        mk.call(Val.i32(i));
      }
      // nothing holds them: a collection releases the slots (bounded retries, counting no time)
      for (int attempt = 0; attempt < 100 && AnyRef.handlesOf(store.internal()).size() > 0; attempt++) {
        System.gc();
        Thread.sleep(10);
      }
      assertEquals(0, AnyRef.handlesOf(store.internal()).size());
      assertEquals(List.of(Val.i32(3)), instance.func("field").call(mk.call(Val.i32(3)).get(0)));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void objectsAndExternrefsRoundTripThroughJava(Target target) {
    Engine engine = engine(target);
    try (WasmModule module = module(engine); Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      Val object = instance.func("mk").call(Val.i32(9)).get(0);
      Func same = instance.func("same");

      Global kept = instance.global("kept");
      kept.set(object);
      assertEquals(List.of(Val.i32(1)), same.call(kept.get(), object), "through a global: the same object");
      Table objects = instance.table("objects");
      objects.set(1, object);
      assertEquals(List.of(Val.i32(1)), same.call(objects.get(1), object), "through a table: the same object");

      Val internalized = instance.func("internalize").call(object).get(0);
      assertEquals(ValType.EXTERNREF, internalized.type());
      assertInstanceOf(Val.Gc.class, internalized, "a converted struct is still no address");
      Val back = instance.func("externalize").call(internalized).get(0);
      assertEquals(List.of(Val.i32(1)), same.call(back, object), "extern.convert_any then any.convert_extern");

      Val host = new Val.Ref(ValType.EXTERNREF, 0x1234_5678_0000L);
      Val asAny = instance.func("externalize").call(host).get(0);
      assertEquals(new Val.Ref(ValType.ANYREF, 0x1234_5678_0000L), asAny);
      assertEquals(List.of(host), instance.func("internalize").call(asAny), "the embedder's value comes back as it was");

      Val array = instance.func("arr").call().get(0);
      assertEquals(List.of(Val.i32(3)), instance.func("len").call(array));
      IllegalArgumentException wrongKind = assertThrows(IllegalArgumentException.class,
          () -> instance.func("len").call(object));
      assertTrue(wrongKind.getMessage().startsWith("a struct of another type where (ref null array) is expected"),
          wrongKind.getMessage());
      assertThrows(IllegalArgumentException.class, () -> instance.func("externalize").call(object),
          "an anyref is not an externref");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anObjectGoesBackOnlyToItsOwnOpenStore(Target target) {
    Engine engine = engine(target);
    try (WasmModule module = module(engine)) {
      Val object;
      try (Store first = new Store(engine); Store second = new Store(engine)) {
        Instance one = new Linker(first).instantiate(module);
        Instance two = new Linker(second).instantiate(module);
        object = one.func("mk").call(Val.i32(1)).get(0);
        Val fixed = object;
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
            () -> two.func("field").call(fixed));
        assertTrue(foreign.getMessage().contains("goes back only to the store that made it"), foreign.getMessage());
        assertThrows(IllegalArgumentException.class, () -> two.global("kept").set(fixed));
        assertThrows(IllegalArgumentException.class, () -> two.table("objects").set(0, fixed));
      }
      try (Store third = new Store(engine)) {
        Instance three = new Linker(third).instantiate(module);
        Val closed = object;
        IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
            () -> three.func("field").call(closed));
        assertTrue(gone.getMessage().contains("which is closed: its objects are gone"), gone.getMessage());
        assertThrows(IllegalArgumentException.class, () -> three.global("kept").set(closed));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aWordJavaMakesUpInsideTheHeapIsNoObject(Target target) {
    Engine engine = engine(target);
    try (WasmModule module = module(engine); Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      instance.func("mk").call(Val.i32(77));
      long base = store.internal().context().get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE);
      assertNotEquals(0, base);
      for (ValType type : List.of(ValType.ANYREF, ValType.EXTERNREF)) {
        for (long word : new long[] {base, base + 8, base + 16, base + (1L << 20)}) {
          Val forged = new Val.Ref(type, word);
          IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> instance.func(
              type == ValType.ANYREF ? "field" : "externalize").call(forged), "0x" + Long.toHexString(word));
          assertTrue(e.getMessage().contains("lies in the GC heap"), e.getMessage());
          assertFalse(e.getMessage().contains(Long.toHexString(word)), "no host address: " + e.getMessage());
        }
      }
      assertThrows(IllegalArgumentException.class, () -> instance.global("kept").set(new Val.Ref(ValType.ANYREF,
          base + 8)));
      assertThrows(IllegalArgumentException.class, () -> instance.table("objects").set(0, new Val.Ref(ValType.ANYREF,
          base + 8)));
    }
  }

  @org.junit.jupiter.api.Test
  void aHostFunctionOfGcTypesIsRefusedClearly() {
    try (Store store = new Store(Engine.create())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Linker(store).func("env",
          "f", FuncType.of(List.of(ValType.ANYREF), List.of()), (caller, args) -> List.of()));
      assertTrue(e.getMessage().startsWith("a host function takes and returns numbers, funcref, externref and exception"
          + " references only"), e.getMessage());
    }
  }
}
