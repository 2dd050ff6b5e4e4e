package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A function reference written into a GC object outlives nothing it points into (red team 8 F4): the
 * object lives in the store's heap, so it can carry the reference past its instance's close through
 * an externref table no boundary type names as funcref. The instance that made it stays while
 * something reaches the reference (loader runtime.HeapHeldOwners; tests' HeapHeldInstanceTest frees
 * it after); without that, the call below ran through a freed (or, pooled, reused) VMContext and
 * crashed the JVM.
 */
class ObjectHeldFunctionReferenceTest {
  private static final String SHELF = "(module (table (export \"t\") 1 externref))";
  private static final String MAKER = """
      (module
        (import "shelf" "t" (table 1 externref))
        (type $f (func (result i32)))
        (type $s (struct (field (ref $f))))
        (func $secret (type $f) (i32.const 42))
        (elem declare func $secret)
        (func (export "init")
          (table.set 0 (i32.const 0) (extern.convert_any (struct.new $s (ref.func $secret))))))
      """;
  private static final String CALLER = """
      (module
        (import "shelf" "t" (table 1 externref))
        (type $f (func (result i32)))
        (type $s (struct (field (ref $f))))
        (func (export "call") (result i32)
          (call_ref $f (struct.get $s 0 (ref.cast (ref $s) (any.convert_extern (table.get 0 (i32.const 0))))))))
      """;
  private static final String REUSER = """
      (module
        (memory 1)
        (type $g (func (param i64) (result i32)))
        (func $other (type $g) (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 32))))
        (table 2 funcref)
        (elem (i32.const 0) $other $other))
      """;

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void theMakerOfAnObjectHeldReferenceStaysWhileTheObjectReachesIt(boolean pooled) {
    Engine.Builder builder = Engine.builder();
    if (pooled) {
      builder.pooling(PoolingAllocation.ofInstances(8).withMaxMemoryBytes(1 << 20));
    }
    Engine engine = builder.build();
    try (WasmModule shelf = compile(engine, SHELF, "shelf.wat");
        WasmModule maker = compile(engine, MAKER, "maker.wat");
        WasmModule caller = compile(engine, CALLER, "caller.wat");
        WasmModule reuser = compile(engine, REUSER, "reuser.wat");
        Store store = new Store(engine)) {
      Instance table = new Linker(store).instantiate(shelf);
      Instance made = new Linker(store).instance("shelf", table).instantiate(maker);
      Instance calling = new Linker(store).instance("shelf", table).instantiate(caller);
      made.func("init").call();
      assertEquals(List.of(Val.i32(42)), calling.func("call").call());
      made.close();
      for (int i = 0; i < 3; i++) {
        new Linker(store).instantiate(reuser);
      }
      assertEquals(List.of(Val.i32(42)), calling.func("call").call(), "the maker's function, after its close");
    }
  }

  private static WasmModule compile(Engine engine, String wat, String name) {
    return WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(wat, name));
  }
}
