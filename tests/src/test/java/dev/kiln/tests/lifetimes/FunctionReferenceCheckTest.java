package dev.kiln.tests.lifetimes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.table.TableInstance;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Function references from Java are checked against the store's own objects before compiled code
 * can call through them (it calls a funcref unchecked): a garbage address, a misaligned one, or one
 * of another store is refused with an {@link IllegalArgumentException}, on every way in (call
 * arguments, table and global writes, host function results); a good one works and keeps its
 * instance alive after the instance is closed.
 */
class FunctionReferenceCheckTest {
  /** Stores a funcref argument in its table and calls it: what a garbage address would crash. */
  private static final String CALLS_A_REFERENCE = """
      (module (type $answer (func (result i32))) (table (export "tab") 1 funcref)
        (global (export "g") (mut funcref) (ref.null func))
        (func (export "call_ref") (param funcref) (result i32)
          (table.set 0 (i32.const 0) (local.get 0)) (call_indirect (type $answer) (i32.const 0)))
        (func (export "call_slot") (result i32) (call_indirect (type $answer) (i32.const 0))))
      """;
  private static final String ANSWERS = "(module (func (export \"answer\") (result i32) (i32.const 42)))";

  private final StoreSession session = new StoreSession();
  private final NativeStore store = session.store;
  private final ImportNamespace linker = session.linker;

  @AfterEach
  void close() throws Exception {
    session.close();
  }

  /** Refused, and without echoing the word: {@code bad} may be a real host address (another store's). */
  private static void refused(long bad, Executable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
    assertTrue(e.getMessage().contains("is not a function reference of store #"), e.getMessage());
    assertFalse(e.getMessage().contains(Long.toHexString(bad)), "no host address: " + e.getMessage());
  }

  @Test
  void garbageAndForeignReferencesAreRefusedOnEveryWayIn() {
    LoadedInstance caller = session.instantiate(CALLS_A_REFERENCE);
    long answer = session.instantiate(ANSWERS).function("answer").funcRefAddress();
    NativeStore otherStore = session.open(new NativeStore());
    long foreign = session.instantiate(new ImportNamespace(otherStore), ANSWERS).function("answer").funcRefAddress();
    TableInstance table = ((Extern.Table) caller.export("tab").orElseThrow()).table();
    GlobalInstance global = ((Extern.Global) caller.export("g").orElseThrow()).global();
    for (long bad : new long[] {0xdead_beefL, answer + 8, foreign}) {
      refused(bad, () -> caller.invoke("call_ref", bad));
      refused(bad, () -> caller.function("call_ref").call(new WasmValue.Ref(ValType.FUNCREF, bad)));
      refused(bad, () -> table.set(0, bad));
      refused(bad, () -> table.grow(1, bad));
      refused(bad, () -> table.fill(0, bad, 1));
      refused(bad, () -> global.set(new WasmValue.Ref(ValType.FUNCREF, bad)));
      refused(bad, () -> GlobalInstance.create(store, new GlobalType(ValType.FUNCREF, false),
          new WasmValue.Ref(ValType.FUNCREF, bad)));
      refused(bad, () -> TableInstance.createHost(store, table.type(), bad, true));
    }
    assertEquals(new WasmValue.I32(42), caller.invoke("call_ref", answer).getFirst(), "a good reference works");
    table.set(0, answer);
    global.set(new WasmValue.Ref(ValType.FUNCREF, answer));
    assertEquals(List.of(new WasmValue.I32(42)), caller.invoke("call_slot"));
  }

  @Test
  void aHostFunctionReturningAGarbageReferenceTrapsInsteadOfHandingItToWasm() {
    linker.defineFunction("env", "make", new FuncType(List.of(), List.of(ValType.FUNCREF)),
        args -> List.of(new WasmValue.Ref(ValType.FUNCREF, 0x1234_5678L)));
    LoadedInstance instance = session.instantiate("""
        (module (import "env" "make" (func $make (result funcref))) (type $answer (func (result i32)))
          (table 1 funcref)
          (func (export "run") (result i32)
            (table.set 0 (i32.const 0) (call $make)) (call_indirect (type $answer) (i32.const 0))))
        """);
    TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("run"));
    assertEquals(TrapCode.HOST_FUNCTION_FAILED, trap.code());
    assertInstanceOf(IllegalArgumentException.class, trap.getCause());
    assertTrue(trap.getCause().getMessage().contains("is not a function reference"), trap.getCause().getMessage());
    assertFalse(trap.getCause().getMessage().contains("12345678"), trap.getCause().getMessage());
  }

  /**
   * An instance with no funcref at its boundary is freed when closed, unless Java has handed one
   * of its references to the store: then a table may hold it, so it lives until the store closes.
   */
  @Test
  void aReferenceHandedToTheStoreKeepsItsInstanceAfterClose() {
    LoadedInstance caller = session.instantiate(CALLS_A_REFERENCE);
    LoadedInstance kept = session.instantiate(ANSWERS);
    LoadedInstance freed = session.instantiate(ANSWERS);
    caller.invoke("call_ref", kept.function("answer").funcRefAddress());
    kept.close();
    freed.close();
    assertTrue(kept.lifetime().isAlive(), "pinned by the reference in the caller's table");
    assertTrue(!freed.lifetime().isAlive(), "nothing refers to it");
    assertEquals(List.of(new WasmValue.I32(42)), caller.invoke("call_slot"));
    LoadedInstance other = session.instantiate(ANSWERS);
    long gone = other.function("answer").funcRefAddress();
    other.close();
    refused(gone, () -> caller.invoke("call_ref", gone));
  }
}
