package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two ways from Java into a store that converted a list of values by their representation
 * alone now convert each value against its slot's type, as arguments, globals and tables do
 * ({@code Conversions.wasmValue} taking the slot): a host function's results (an {@link ExnRef} or
 * an anyref word returned for an {@code externref} is refused, where the exception object's address
 * used to come back to Java as an externref, red team 14 F3) and a host-thrown {@link WasmThrow}'s
 * payload (a struct for a tag of {@code (ref null $s)} is caught as the struct, where it used to be
 * refused for its representation, red team 14 F2). Both targets: the host call path differs.
 */
class HostValueSlotTypeTest {
  private static final String WAT = """
      (module
        (type $s (struct (field i64)))
        (import "h" "ext" (func $ext (result externref)))
        (import "h" "throw" (func $throw (param externref)))
        (tag $t (export "t") (param (ref null $s)))
        (tag $nn (export "nn") (param (ref $s)))
        (tag $any (export "any") (param anyref))
        (func (export "ext") (result externref) (call $ext))
        (func (export "concrete") (result i64)
          (block $h (result (ref null $s))
            (try_table (catch $t $h) (call $throw (extern.convert_any (struct.new $s (i64.const 42)))))
            (return (i64.const -1)))
          (struct.get $s 0))
        (func (export "nonNull") (result i64)
          (block $h (result (ref $s))
            (try_table (catch $nn $h) (call $throw (extern.convert_any (struct.new $s (i64.const 43)))))
            (return (i64.const -1)))
          (struct.get $s 0))
        (func (export "abstract") (result i64)
          (block $h (result anyref)
            (try_table (catch $any $h) (call $throw (extern.convert_any (struct.new $s (i64.const 44)))))
            (return (i64.const -1)))
          (struct.get $s 0 (ref.cast (ref $s))))
        (func (export "exn") (result exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (throw $any (ref.null any)))
            (unreachable))))
      """;

  private record Fixture(Instance instance, AtomicReference<Function<Instance, List<Val>>> ext,
      AtomicReference<String> tag) {
    static Fixture of(Store store, Engine engine) {
      AtomicReference<Instance> self = new AtomicReference<>();
      AtomicReference<Function<Instance, List<Val>>> ext = new AtomicReference<>();
      AtomicReference<String> tag = new AtomicReference<>();
      Instance instance = new Linker(store)
          .func("h", "ext", FuncType.of(List.of(), List.of(ValType.EXTERNREF)), (caller, args) -> ext.get().apply(self.get()))
          .func("h", "throw", FuncType.of(List.of(ValType.EXTERNREF), List.of()), (caller, args) -> {
            Val.Gc struct = (Val.Gc) args.getFirst();
            throw new WasmThrow(self.get().tag(tag.get()), List.of(new Val.Gc(ValType.ANYREF, struct.object())));
          })
          .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "host-slots.wat")));
      self.set(instance);
      return new Fixture(instance, ext, tag);
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostThrownStructIsCaughtByATagOfItsConcreteType(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (Store store = new Store(engine)) {
      Fixture fixture = Fixture.of(store, engine);
      for (var c : List.of(List.of("concrete", "t", 42L), List.of("nonNull", "nn", 43L), List.of("abstract", "any", 44L))) {
        fixture.tag().set((String) c.get(1));
        assertEquals(List.of(Val.i64((Long) c.get(2))), fixture.instance().func((String) c.get(0)).call(), c::toString);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostResultOfAnotherHierarchyIsNoExternref(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (Store store = new Store(engine)) {
      Fixture fixture = Fixture.of(store, engine);
      Func ext = fixture.instance().func("ext");
      fixture.ext().set(in -> List.of(new Val.Ref(ValType.EXTERNREF, 0x1230)));
      assertEquals(List.of(new Val.Ref(ValType.EXTERNREF, 0x1230)), ext.call(), "an externref goes through");

      Val exn = fixture.instance().func("exn").call().getFirst();
      assertInstanceOf(Val.Exn.class, exn);
      for (Val wrong : List.of(exn, new Val.Ref(ValType.ANYREF, 0x21))) {
        fixture.ext().set(in -> List.of(wrong));
        Trap trap = assertThrows(Trap.class, ext::call, wrong::toString);
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, trap.getCause());
        assertEquals("host function result 0 is a " + wrong.type() + ", its type's result 0 a externref",
            cause.getMessage());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aRefusedThrowNamesNoRepresentation(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (Store store = new Store(engine)) {
      Fixture fixture = Fixture.of(store, engine);
      // an i31 for a tag of (ref null $s): of the tag's hierarchy (anyref), not of its type
      Instance instance = fixture.instance();
      AtomicReference<Val> payload = new AtomicReference<>(new Val.Ref(ValType.ANYREF, 0x21));
      Instance thrower = new Linker(store)
          .func("h", "ext", FuncType.of(List.of(), List.of(ValType.EXTERNREF)), (caller, args) -> {
            throw new WasmThrow(instance.tag("t"), List.of(payload.get()));
          })
          .func("h", "throw", FuncType.of(List.of(ValType.EXTERNREF), List.of()), (caller, args) -> List.of())
          .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "host-slots.wat")));
      Trap trap = assertThrows(Trap.class, () -> thrower.func("ext").call());
      IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, trap.getCause());
      assertTrue(!cause.getMessage().contains("FUNCREF") && !cause.getMessage().contains("funcref"), cause.getMessage());
    }
  }
}
