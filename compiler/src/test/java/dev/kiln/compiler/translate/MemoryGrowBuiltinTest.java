package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.artifact.vm.VmShape;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.interp.Interpreter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compiled memory.grow ({@link MemoryGrowBuiltin}) as IR on the reference interpreter, with a
 * VMContext, a memory record, the store's account and a recording mprotect: the decisions both
 * backends compile (maximum, account, commit, then publish) checked once, ISA-neutrally.
 */
class MemoryGrowBuiltinTest {
  private static final long PAGE = 65536;
  private static final long VMCTX = 0x1000;
  private static final long STORE = 0x8000;
  private static final long BASE = 0x7f00_0000_0000L;
  private static final long PROTECT = 0x9999;
  private static final VmLayout LAYOUT = new VmLayout(new VmShape(0, 0, 1, 0, 0, 0, 0, 0, 0, Builtin.SLOTTED));
  private static final long RECORD = VMCTX + LAYOUT.memoryBase(0);
  private static final Function GROW = MemoryGrowBuiltin.build(LAYOUT);

  /** Little-endian u64 words by address, and every mprotect call. */
  private final Map<Long, Long> words = new HashMap<>();
  private final List<long[]> protects = new ArrayList<>();
  private boolean protectFails;

  private final Interpreter interpreter = new Interpreter(new Interpreter.Environment() {
    @Override
    public long load(long address, int width) {
      assertEquals(8, width);
      Long value = words.get(address);
      if (value == null) {
        throw new IllegalStateException("load of 0x" + Long.toHexString(address));
      }
      return value;
    }

    @Override
    public void store(long address, int width, long value) {
      assertEquals(8, width);
      words.put(address, value);
    }

    @Override
    public long[] call(ExternalName callee, long[] args) {
      throw new IllegalStateException("the builtin calls nothing directly: " + callee);
    }

    @Override
    public long[] callIndirect(long address, long[] args) {
      assertEquals(PROTECT, address, "the MEMORY_PROTECT slot's pointer");
      protects.add(args);
      return new long[] {protectFails ? -1 : 0};
    }
  });

  private void memory(long pages, long maxPages, long used, long limit) {
    words.put(VMCTX + VmLayout.STORE_CONTEXT, STORE);
    words.put(VMCTX + LAYOUT.builtin(Builtin.MEMORY_PROTECT), PROTECT);
    words.put(RECORD + VmLayout.MEMORY_BASE, BASE);
    words.put(RECORD + VmLayout.MEMORY_LENGTH, pages * PAGE);
    words.put(RECORD + VmLayout.MEMORY_MAX_LENGTH, maxPages * PAGE);
    words.put(STORE + StoreLayout.MEMORY_BYTES_USED, used);
    words.put(STORE + StoreLayout.MEMORY_BYTES_LIMIT, limit);
  }

  private long grow(long delta) {
    interpreter.refuel(1000);
    return interpreter.execute(GROW, new long[] {VMCTX, VMCTX, RECORD, delta})[0];
  }

  private long length() {
    return words.get(RECORD + VmLayout.MEMORY_LENGTH);
  }

  private long used() {
    return words.get(STORE + StoreLayout.MEMORY_BYTES_USED);
  }

  @Test
  void aGrowCommitsThePagesAfterTheLengthThenTakesThemAndPublishesTheLength() {
    memory(2, 10, 5 * PAGE, -1L);
    assertEquals(2, grow(3));
    assertEquals(1, protects.size());
    assertArrayEquals(new long[] {BASE + 2 * PAGE, 3 * PAGE, Builtin.PROTECT_READ_WRITE}, protects.getFirst());
    assertEquals(5 * PAGE, length());
    assertEquals(8 * PAGE, used(), "the store's account counts every memory's pages");
    assertEquals(5, grow(5), "up to the maximum exactly");
    assertEquals(10 * PAGE, length());
  }

  @Test
  void zeroPagesReturnTheSizeWithoutCommittingAnything() {
    memory(4, 4, 4 * PAGE, 4 * PAGE);
    assertEquals(4, grow(0), "at the maximum and at the store's limit, growing by nothing still succeeds");
    assertEquals(List.of(), protects);
  }

  @Test
  void pastTheMaximumNothingChanges() {
    memory(2, 10, 2 * PAGE, -1L);
    assertEquals(-1, grow(9));
    assertEquals(-1, grow(-1L), "an unsigned delta of 2^64 - 1 (memory64)");
    assertEquals(-1, grow(1L << 48), "a delta whose byte count would overflow");
    assertEquals(List.of(), protects);
    assertEquals(2 * PAGE, length());
    assertEquals(2 * PAGE, used());
  }

  @Test
  void pastTheStoresLimitNothingChanges() {
    memory(2, 10, 7 * PAGE, 8 * PAGE);
    assertEquals(-1, grow(2), "another memory of the store holds 5 of its 8 pages");
    assertEquals(List.of(), protects);
    assertEquals(2, grow(1), "the last page the limit allows");
    assertEquals(8 * PAGE, used());
  }

  @Test
  void aFailedMprotectLeavesTheLengthAndTheAccountAsTheyWere() {
    memory(2, 10, 2 * PAGE, -1L);
    protectFails = true;
    assertEquals(-1, grow(1));
    assertEquals(1, protects.size());
    assertEquals(2 * PAGE, length());
    assertEquals(2 * PAGE, used());
  }
}
