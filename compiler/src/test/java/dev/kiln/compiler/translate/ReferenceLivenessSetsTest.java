package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.ThreadAllocation;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What solving one function's reference liveness allocates follows its reference locals and its
 * bytes, counted in bytes the solving thread allocates. Red team 30, finding F1: the live sets were
 * indexed by local index, so one anyref local declared after 2^20 i32 locals (five bytes) and read
 * after 10,000 calls made every node's sets 128 KB, and a 20 KB module filled a 1 GB heap.
 */
class ReferenceLivenessSetsTest {
  private static final int LOCALS = FuncTranslator.MAX_LOCALS;
  private static final int CALLS = 2_000;

  @Test
  void oneReferenceLocalAfterManyOthersCostsOneBitANode() {
    FunctionBody body = body(LOCALS - 1, new int[] {LOCALS - 1});
    boolean[] references = new boolean[LOCALS];
    references[LOCALS - 1] = true;
    ReferenceLiveness liveness = allocatingAtMost(1 << 22, () -> ReferenceLiveness.of(body, references));
    assertFalse(liveness.passesBudget(), "one local live across 2,000 calls is within the spill budget");
  }

  @Test
  void setsPastTheirBudgetMakeEveryReadReferenceLocalFrameResidentUnsolved() {
    int[] all = IntStream.range(0, LOCALS).toArray();
    FunctionBody body = body(0, all);
    boolean[] references = new boolean[LOCALS];
    java.util.Arrays.fill(references, true);
    // 50,000 locals live across 2,000 calls: sets of 2,000 x 782 words, past 4 a byte of this body
    ReferenceLiveness liveness = allocatingAtMost(1 << 23, () -> ReferenceLiveness.of(body, references));
    assertTrue(liveness.passesBudget());
    assertArrayEquals(all, liveness.frameResidentLocals());
  }

  private static <T> T allocatingAtMost(long bytes, Supplier<T> work) {
    ThreadAllocation allocation = ThreadAllocation.start();
    T result = work.get();
    long allocated = allocation.bytes();
    assertTrue(allocated <= bytes, allocated + " bytes allocated, more than " + bytes);
    return result;
  }

  /**
   * Function 1 of a module whose function 0 does nothing: {@code i32s} i32 locals, then anyref
   * locals up to {@link #LOCALS}; {@link #CALLS} calls of function 0, then each of {@code read}
   * read and dropped.
   */
  private static FunctionBody body(int i32s, int[] read) {
    WasmWriter locals = i32s == 0
        ? new WasmWriter().u32(1).u32(LOCALS).u8(0x6E)
        : new WasmWriter().u32(2).u32(i32s).u8(0x7F).u32(LOCALS - i32s).u8(0x6E);
    WasmWriter code = new WasmWriter().bytes(locals);
    for (int c = 0; c < CALLS; c++) {
      code.u8(0x10).u8(0); // call 0
    }
    for (int local : read) {
      code.u8(0x20).u32(local).u8(0x1A); // local.get, drop
    }
    byte[] f = code.u8(0x0B).toByteArray();
    byte[] module = new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().u8(0x60).u32(0).u32(0))
        .vectorSection(ModuleWriter.FUNCTION, 2, new WasmWriter().u8(0).u8(0))
        .vectorSection(ModuleWriter.CODE, 2, new WasmWriter().u32(2).u8(0).u8(0x0B).u32(f.length).bytes(f))
        .toByteArray();
    return Wasm.load(module).code().get(1);
  }
}
