package dev.kiln.tests.x64;

import static dev.kiln.tests.x64.HandAssembledModule.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.runtime.EntryInvoker;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.ValRaw;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The x86-64 execution core end to end, before the compiler exists: hand-assembled wasm functions
 * entered through generated ARRAY_TO_WASM trampolines with the loader's one downcall, returning
 * results through ValRaw slots, trapping through the trap stub into a Java {@link TrapException}, and running
 * out of stack into {@link TrapCode#STACK_OVERFLOW} instead of crashing the JVM.
 */
class X64EntryAndTrapTest {
  private static HandAssembledModule module;

  private Arena arena;
  private NativeStore store;
  private EntryInvoker invoker;
  private MemorySegment vmctx;
  private MemorySegment values;

  @BeforeAll
  static void assemble() {
    module = new HandAssembledModule();
  }

  @AfterAll
  static void release() {
    module.close();
  }

  @BeforeEach
  void newStore() {
    arena = Arena.ofConfined();
    store = new NativeStore();
    invoker = new EntryInvoker(store);
    vmctx = vmctxFor(arena, store);
    values = ValRaw.allocate(arena, 8);
  }

  @AfterEach
  void closeStore() {
    store.close();
    arena.close();
  }

  /** A minimal VMContext: only the store context pointer at offset 0 (all these functions read). */
  static MemorySegment vmctxFor(Arena arena, NativeStore store) {
    MemorySegment vmctx = arena.allocate(16, 16);
    vmctx.set(ValueLayout.ADDRESS, VmLayout.STORE_CONTEXT, store.context());
    return vmctx;
  }

  private void call(long trampoline, int len) {
    invoker.invoke(at(trampoline), vmctx, vmctx, values, len);
  }

  private int add(int a, int b) {
    ValRaw.setI32(values, 0, a);
    ValRaw.setI32(values, 1, b);
    call(module.add, 2);
    return ValRaw.getI32(values, 0);
  }

  private int divS(int a, int b) {
    ValRaw.setI32(values, 0, a);
    ValRaw.setI32(values, 1, b);
    call(module.divS, 2);
    return ValRaw.getI32(values, 0);
  }

  private int depth(int n) {
    ValRaw.setI32(values, 0, n);
    call(module.depth, 1);
    return ValRaw.getI32(values, 0);
  }

  @Test
  void addReturnsTheWrappingSum() {
    assertEquals(5, add(2, 3));
    assertEquals(Integer.MIN_VALUE, add(Integer.MAX_VALUE, 1));
    assertEquals(-7, add(-3, -4));
    assertEquals(0, store.entrySp(), "entry state restored after the call");
    assertEquals(0, store.stackLimit(), "stack limit restored after the call");
  }

  @Test
  void divisionByZeroTrapsAndTheStoreStaysUsable() {
    assertEquals(-3, divS(7, -2));
    TrapException trap = assertThrows(TrapException.class, () -> divS(1, 0));
    assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, trap.code());
    assertEquals("integer divide by zero", trap.getMessage());
    // Functions are laid out in order, so the division function ends where multi begins.
    assertTrue(trap.pc() > module.divFunction && trap.pc() < module.multiFunction,
        "trap pc inside the dividing function: 0x" + Long.toHexString(trap.pc()));
    assertEquals(0, store.entrySp(), "the trap path restored the enclosing entry state");
    assertEquals(0, store.stackLimit());

    assertEquals(4, divS(9, 2), "another call after the trap");
    assertEquals(12, add(5, 7));
  }

  @Test
  void theOverflowingDivisionTrapsInsteadOfRaisingTheHardwareFault() {
    TrapException trap = assertThrows(TrapException.class, () -> divS(Integer.MIN_VALUE, -1));
    assertEquals(TrapCode.INTEGER_OVERFLOW, trap.code());
    assertEquals(Integer.MIN_VALUE, divS(Integer.MIN_VALUE, 1));
  }

  @Test
  void multipleResultsComeBackThroughRegistersAndTheReturnArea() {
    int a = -5;
    long b = 1L << 40;
    double c = 1.5;
    ValRaw.setI32(values, 0, a);
    ValRaw.setI64(values, 1, b);
    ValRaw.setF64(values, 2, c);
    call(module.multi, 6);
    assertEquals(a + 1, ValRaw.getI32(values, 0));
    assertEquals(3 * b, ValRaw.getI64(values, 1));
    assertEquals(b - a, ValRaw.getI64(values, 2));
    assertEquals(c + c, ValRaw.getF64(values, 3));
    assertEquals(c * c, ValRaw.getF64(values, 4));
    assertEquals(c, ValRaw.getF64(values, 5));
  }

  @Test
  void f32AndV128TravelInXmmRegistersWithAllSixteenBytesOfTheVector() {
    ValRaw.setF32(values, 0, 2.25f);
    ValRaw.setI64(values, 1, 0x0123_4567_89ab_cdefL);
    values.set(ValueLayout.JAVA_LONG_UNALIGNED, 16 + 8, 0xfedc_ba98_7654_3210L);
    call(module.swapVector, 2);
    assertEquals(0x0123_4567_89ab_cdefL, ValRaw.getI64(values, 0));
    assertEquals(0xfedc_ba98_7654_3210L, values.get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
    assertEquals(4.5f, ValRaw.getF32(values, 1));
  }

  @Test
  void parametersBeyondTheRegistersTravelOnTheStack() {
    long expected = 0;
    for (int i = 0; i < 8; i++) {
      long x = 1000L * (i + 1) + (i % 2 == 0 ? -(1L << 33) : 17);
      ValRaw.setI64(values, i, x);
      expected += (i + 1) * x;
    }
    call(module.weightedSum8, 8);
    assertEquals(expected, ValRaw.getI64(values, 0));
  }

  @Test
  void recursionWithinTheBudgetReturnsItsDepth() {
    assertEquals(0, depth(0));
    assertEquals(1000, depth(1000));
  }

  @Test
  void deepRecursionTrapsWithStackOverflowAndTheStoreStaysUsable() {
    TrapException trap = assertThrows(TrapException.class, () -> depth(50_000_000));
    assertEquals(TrapCode.STACK_OVERFLOW, trap.code());
    assertEquals("call stack exhausted", trap.getMessage());
    assertEquals(0, store.stackLimit());
    assertEquals(0, store.entrySp());
    assertEquals(10, depth(10));
  }

  @Test
  void theWasmStackBudgetBoundsRecursionDepth() {
    // Each level of depth uses 16 bytes (return address, rbp) plus its locals.
    int perLevel = 16 + HandAssembledModule.DEPTH_FRAME_LOCALS;
    long budget = 64 * 1024;
    try (NativeStore small = new NativeStore(budget, NativeStore.DEFAULT_HEADROOM); Arena local = Arena.ofConfined()) {
      EntryInvoker smallInvoker = new EntryInvoker(small);
      MemorySegment smallVmctx = vmctxFor(local, small);
      int fits = (int) (budget / perLevel) - 16; // the trampoline's own frame takes a little
      ValRaw.setI32(values, 0, fits);
      smallInvoker.invoke(at(module.depth), smallVmctx, smallVmctx, values, 1);
      assertEquals(fits, ValRaw.getI32(values, 0));

      ValRaw.setI32(values, 0, (int) (budget / perLevel) + 16);
      TrapException trap = assertThrows(TrapException.class,
          () -> smallInvoker.invoke(at(module.depth), smallVmctx, smallVmctx, values, 1));
      assertEquals(TrapCode.STACK_OVERFLOW, trap.code());
    }
  }

  @Test
  void deepRecursionOnAThreadWithA256KiBStackTrapsInsteadOfCrashing() throws Exception {
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread small = new Thread(null, () -> {
      try (Arena local = Arena.ofConfined(); NativeStore threadStore = new NativeStore()) {
        EntryInvoker threadInvoker = new EntryInvoker(threadStore);
        MemorySegment threadVmctx = vmctxFor(local, threadStore);
        MemorySegment threadValues = ValRaw.allocate(local, 1);
        ValRaw.setI32(threadValues, 0, 10_000_000);
        try {
          threadInvoker.invoke(at(module.depth), threadVmctx, threadVmctx, threadValues, 1);
          outcome.set("returned " + ValRaw.getI32(threadValues, 0));
        } catch (TrapException t) {
          ValRaw.setI32(threadValues, 0, 100);
          threadInvoker.invoke(at(module.depth), threadVmctx, threadVmctx, threadValues, 1);
          outcome.set(t.code() + " then " + ValRaw.getI32(threadValues, 0));
        }
      } catch (Throwable t) {
        outcome.set(t);
      }
    }, "kiln-256k-stack", 256 * 1024);
    small.start();
    small.join();
    assertEquals(TrapCode.STACK_OVERFLOW + " then 100", String.valueOf(outcome.get()));
  }

  @Test
  void theTrapStubRecordsTheWasmBacktraceBeforeUnwinding() {
    TrapException direct = assertThrows(TrapException.class, () -> divS(3, 0));
    assertEquals(0, direct.callers().length, "called straight from the entry: no wasm caller");
    assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, direct.code(), "the code the stub wrote");
    // read once: the field holds "nothing recorded" again, so a later failed entry that ran no
    // trap stub (a host function called from Java) cannot report this trap's code
    assertEquals(-1, store.context().get(ValueLayout.JAVA_INT, StoreLayout.TRAP_CODE));

    TrapException deep = assertThrows(TrapException.class, () -> depth(50_000_000));
    long[] callers = deep.callers();
    assertEquals(StoreLayout.BACKTRACE_CAPACITY, callers.length, "a deep chain fills the buffer");
    // Every caller is depth itself, returning to the instruction after its recursive call.
    for (long pc : callers) {
      assertEquals(callers[0], pc);
    }
    assertTrue(callers[0] > module.depthFunction && callers[0] < module.depthFunction + 64,
        "return address 0x" + Long.toHexString(callers[0]) + " inside depth at 0x"
            + Long.toHexString(module.depthFunction));
    assertTrue(deep.pc() > module.depthFunction && deep.pc() < module.depthFunction + 128);
  }

  @Test
  void aShallowTrapRecordsExactlyItsCallers() {
    // The entry sets limit = entry_sp - budget. Level k of depth checks entry_sp - k * perLevel
    // (return address, saved rbp, locals) against it, so levels 1..12 fit a 12-level budget and
    // level 13 traps in its prologue: 12 wasm callers above the trapping frame.
    int perLevel = 16 + HandAssembledModule.DEPTH_FRAME_LOCALS;
    try (NativeStore tiny = new NativeStore(12 * perLevel, NativeStore.DEFAULT_HEADROOM); Arena local = Arena.ofConfined()) {
      EntryInvoker tinyInvoker = new EntryInvoker(tiny);
      MemorySegment tinyVmctx = vmctxFor(local, tiny);
      ValRaw.setI32(values, 0, 11);
      tinyInvoker.invoke(at(module.depth), tinyVmctx, tinyVmctx, values, 1);
      assertEquals(11, ValRaw.getI32(values, 0), "depth(11) runs 12 levels: n = 11 down to 0");

      ValRaw.setI32(values, 0, 12);
      TrapException trap = assertThrows(TrapException.class,
          () -> tinyInvoker.invoke(at(module.depth), tinyVmctx, tinyVmctx, values, 1));
      assertEquals(TrapCode.STACK_OVERFLOW, trap.code());
      assertEquals(12, trap.callers().length);
    }
  }
}
