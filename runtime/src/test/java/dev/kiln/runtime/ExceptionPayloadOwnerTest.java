package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An exception object carries its thrower's function reference as long as the object lives, so
 * the thrower is held by the heap (red team 17 F1). Attacked as a guest whose module defines no
 * struct or array type but whose unexported tag carries a funcref: another instance catches the
 * throw with {@code catch_all_ref} and hands the exnref to Java; both instances are closed; a
 * look-alike module, whose function returns a secret, is instantiated in the same pooled slots;
 * the exnref is rethrown. Its payload must still name the thrower's function (42), never the
 * tenant's (1337).
 */
class ExceptionPayloadOwnerTest {
  /** A thrower whose tag's parameter is {@code payload}: funcref, or a typed {@code (ref $v)}. */
  private static String thrower(String payload, int secret) {
    return """
        (module
          (type $v (func (result i32)))
          (tag $t (param %s))
          (func $g (type $v) (i32.const %d))
          (elem declare func $g)
          (func (export "f") (throw $t (ref.func $g))))
        """.formatted(payload, secret);
  }

  private static final String CATCHER = """
      (module
        (import "a" "f" (func $f))
        (func (export "catchIt") (result exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (call $f))
            (unreachable))))
      """;

  private static final String RETHROWER = """
      (module
        (type $v (func (result i32)))
        (table $tab 1 funcref)
        (func (export "rethrow") (param exnref) (throw_ref (local.get 0)))
        (func (export "callIt") (param funcref) (result i32)
          (table.set $tab (i32.const 0) (local.get 0))
          (call_indirect $tab (type $v) (i32.const 0))))
      """;

  private static WasmModule module(Engine engine, String wat, String name) {
    return WasmModule.compile(engine, Wat.toBinary(wat, name));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aKeptExceptionsFunctionReferenceNamesItsThrowerAfterBothClose(Target target) {
    // a typed function reference has the funcref representation the rule looks for (PreciseTypes)
    for (String payload : List.of("funcref", "(ref $v)")) {
      keptExceptionNamesItsThrower(target, payload);
    }
  }

  private static void keptExceptionNamesItsThrower(Target target, String payload) {
    int rounds = 4;
    Engine engine = Engine.builder().target(target).pooling(PoolingAllocation.ofInstances(16)).build();
    try (WasmModule thrower = module(engine, thrower(payload, 42), "thrower.wat");
        WasmModule tenant = module(engine, thrower(payload, 1337), "tenant.wat");
        WasmModule catcher = module(engine, CATCHER, "catcher.wat");
        WasmModule rethrower = module(engine, RETHROWER, "rethrower.wat");
        Store store = new Store(engine)) {
      Instance again = new Linker(store).instantiate(rethrower);
      List<Val> kept = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        Instance throwing = new Linker(store).instantiate(thrower);
        Instance catching = new Linker(store).instance("a", throwing).instantiate(catcher);
        kept.add(catching.func("catchIt").call().getFirst());
        catching.close();
        throwing.close();
      }
      List<Instance> tenants = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        tenants.add(new Linker(store).instantiate(tenant));
      }
      for (Val exn : kept) {
        WasmThrow thrown = assertThrows(WasmThrow.class, () -> again.func("rethrow").call(exn));
        Val ref = thrown.payload().getFirst();
        assertEquals(42, again.func("callIt").call(ref).getFirst().asInt(),
            payload + ": the thrower's function, not a tenant's");
      }
      assertEquals(rounds, tenants.size());
    }
  }
}
