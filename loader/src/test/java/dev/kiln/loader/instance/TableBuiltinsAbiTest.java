package dev.kiln.loader.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.loader.exec.NativeExecutor;
import dev.kiln.loader.exec.UpcallShape;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.table.TableInstance;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table builtins' entry points called through a native downcall of {@link UpcallShape}, as the
 * trampolines call them, with what the C ABI allows a caller to leave in the registers: garbage in
 * the upper half of an i32 argument (the table index) and in the fifth word {@code table.grow} does
 * not take. Each builtin must act on the table the low half names, unpack a table pair in the right
 * order, and answer with a whole register (0, 1, -1 or the old size).
 */
class TableBuiltinsAbiTest {
  private static final long GARBAGE = 0xDEAD_BEEFL << 32;

  @Test
  void i32ArgumentsIgnoreTheUpperHalfAndResultsAreWholeRegisters() throws Throwable {
    try (NativeStore store = new NativeStore(); Arena arena = Arena.ofConfined()) {
      List<TableInstance> t = List.of(
          TableInstance.createHost(store, new TableType(ValType.EXTERNREF, Limits.of(4), false), 0, false),
          TableInstance.createHost(store, new TableType(ValType.EXTERNREF, Limits.of(4), false), 0, false));
      TableBuiltins b = new TableBuiltins(t::get, MemorySegment.NULL, null);
      MethodHandle fill = call(b, Builtin.TABLE_FILL, arena);
      MethodHandle copy = call(b, Builtin.TABLE_COPY, arena);
      MethodHandle grow = call(b, Builtin.TABLE_GROW, arena);
      // fill table 1 (garbage above the index), slots 1-2, with 77
      assertEquals(0L, (long) fill.invokeExact(-1L, GARBAGE | 1, 1L, 77L, 2L));
      assertEquals(77L, t.get(1).get(2));
      assertEquals(0L, t.get(0).get(1), "table 0 untouched");
      assertEquals(1L, (long) fill.invokeExact(-1L, GARBAGE | 1, 3L, 77L, 2L), "out of bounds: exactly 1");
      // copy into table 0 (the pair's high half) from table 1 (its low half): slots 1-3 to 0-2
      assertEquals(0L, (long) copy.invokeExact(-1L, 0L << 32 | 1L, 0L, 1L, 3L));
      assertEquals(77L, t.get(0).get(0));
      assertEquals(77L, t.get(0).get(1));
      assertEquals(0L, t.get(0).get(2));
      // grow table 1, garbage in the fifth word: too far is exactly -1, one slot the old size
      assertEquals(-1L, (long) grow.invokeExact(-1L, GARBAGE | 1, 1L << 40, 0L, GARBAGE));
      assertEquals(4L, (long) grow.invokeExact(-1L, GARBAGE | 1, 1L, 0L, GARBAGE));
      assertEquals(5L, t.get(1).size());
    }
  }

  private static MethodHandle call(TableBuiltins b, Builtin builtin, Arena arena) {
    MemorySegment entry = b.entryPoint(builtin, NativeExecutor.forHost(), arena);
    return Linker.nativeLinker().downcallHandle(entry, UpcallShape.DESCRIPTOR);
  }
}
