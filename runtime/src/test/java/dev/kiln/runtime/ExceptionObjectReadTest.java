package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.loader.runtime.NativeStore;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 35, gap 1, on the way out to Java: a global or table read turns a heap word into a value by
 * the object's header, and an exception object's header once read as an array's, so an exception
 * word in an anyref slot (validation keeps it out; a damaged store or a confused host path would
 * put it there, as this test does by hand) came back as an {@code arrayref} handle, which Java
 * could then pass wherever an array is expected. Now the read refuses it in one line. Both targets.
 */
class ExceptionObjectReadTest {
  private static final String MODULE = """
      (module
        (tag $t (param i64))
        (global (export "kept") (mut anyref) (ref.null any))
        (func (export "exception") (param $v i64) (result exnref)
          (block $h (result i64 exnref)
            (try_table (catch_ref $t $h) (throw $t (local.get $v)))
            (unreachable))
          (return)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void anExceptionObjectInAnAnyrefGlobalIsRefusedNotReadAsAnArray(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(MODULE, "exn.wat"));
        Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      Val.Exn exception = assertInstanceOf(Val.Exn.class, instance.func("exception").call(Val.i64(7)).get(0));
      NativeStore internal = store.internal();
      Global kept = instance.global("kept");
      internal.exclusive("test", () -> {
        long word = exception.exception().word(internal);
        MemorySegment.ofAddress(kept.internal().slotAddress()).reinterpret(8).set(ValueLayout.JAVA_LONG, 0, word);
        return null;
      });
      IllegalStateException refused = assertThrows(IllegalStateException.class, kept::get);
      assertEquals("an exception object of " + internal + " in a slot of type (ref null any): an exnref is no value"
          + " of the anyref hierarchy", refused.getMessage());
      kept.set(Val.nullRef(ValType.ANYREF));
    }
  }
}
