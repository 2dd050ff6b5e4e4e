package dev.kiln.tests.x64;

import static dev.kiln.tests.x64.HandAssembledModule.at;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.runtime.EntryInvoker;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.ValRaw;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * wasm -> host -> wasm on one store: the inner entry saves and restores the outer entry's state, and
 * a trap inside the inner call unwinds to the inner entry only, so the outer wasm frame carries on.
 */
class X64NestedEntryTest {
  private static HandAssembledModule module;
  private static EntryInvoker invoker;
  private static MemorySegment vmctx;
  private static MemorySegment innerValues;
  private static long outerEntrySp;
  private static long innerSeenEntrySp;
  private static Throwable hostFailure;

  private Arena arena;
  private NativeStore store;

  @BeforeEach
  void setUp() throws Exception {
    module = new HandAssembledModule();
    arena = Arena.ofConfined();
    store = new NativeStore();
    invoker = new EntryInvoker(store);
    vmctx = X64EntryAndTrapTest.vmctxFor(arena, store);
    innerValues = ValRaw.allocate(arena, 2);
    MemorySegment host = Linker.nativeLinker().upcallStub(
        MethodHandles.lookup().findStatic(X64NestedEntryTest.class, "host",
            MethodType.methodType(int.class, MemorySegment.class, int.class)),
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), arena);
    vmctx.set(ADDRESS, HandAssembledModule.HOST_FUNCTION_SLOT, host);
    hostFailure = null;
  }

  @AfterEach
  void tearDown() {
    store.close();
    arena.close();
    module.close();
  }

  /**
   * The host function: divides 100 by n in wasm (a nested entry) and returns the quotient, or -1 if
   * that trapped. An exception must never escape an upcall, so everything is caught.
   */
  static int host(MemorySegment callerVmctx, int n) {
    try {
      outerEntrySp = invoker.store().entrySp();
      ValRaw.setI32(innerValues, 0, 100);
      ValRaw.setI32(innerValues, 1, n);
      try {
        invoker.invoke(at(module.divS), vmctx, vmctx, innerValues, 2);
        return ValRaw.getI32(innerValues, 0);
      } catch (TrapException t) {
        return t.code() == TrapCode.INTEGER_DIVISION_BY_ZERO ? -1 : -2;
      } finally {
        innerSeenEntrySp = invoker.store().entrySp();
      }
    } catch (Throwable t) {
      hostFailure = t;
      return -3;
    }
  }

  private int callHost(int n) {
    MemorySegment values = ValRaw.allocate(arena, 1);
    ValRaw.setI32(values, 0, n);
    invoker.invoke(at(module.callHost), vmctx, vmctx, values, 1);
    return ValRaw.getI32(values, 0);
  }

  @Test
  void aNestedEntryReturnsThroughTheHostIntoTheOuterWasmFrame() {
    assertEquals(25, callHost(4));
    assertNull(hostFailure);
    assertNotEquals(0, outerEntrySp, "the outer entry was active during the host call");
    assertEquals(outerEntrySp, innerSeenEntrySp, "the inner entry restored the outer one's state");
    assertEquals(0, store.entrySp());
    assertEquals(0, store.stackLimit());
  }

  @Test
  void aTrapInTheNestedEntryUnwindsOnlyToIt() {
    assertEquals(-1, callHost(0), "the inner division trapped; the outer wasm returned normally");
    assertNull(hostFailure);
    assertEquals(outerEntrySp, innerSeenEntrySp, "the trap path restored the outer entry's state");
    assertEquals(0, store.entrySp());
    assertEquals(0, store.stackLimit());
    assertEquals(50, callHost(2), "the store is still usable");
  }

  @Test
  void theOuterEntryStillTrapsNormallyAfterwards() {
    assertEquals(-1, callHost(0));
    MemorySegment values = ValRaw.allocate(arena, 2);
    ValRaw.setI32(values, 0, 1);
    ValRaw.setI32(values, 1, 0);
    TrapException trap = assertThrows(TrapException.class,
        () -> invoker.invoke(at(module.divS), vmctx, vmctx, values, 2));
    assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, trap.code());
  }
}
