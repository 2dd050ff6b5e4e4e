package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.ExceptionLayout;
import dev.kiln.artifact.vm.StoreLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host's throw holds its payload's references across the allocation of the exception object,
 * whose collection may move their objects, and only those: an i64 of the payload is a number, so
 * one that equals an object's address must reach the handler as it was thrown, not rewritten to
 * where the collection moved that object.
 */
class HostThrowHeldWordsTest {
  /** The address of an object, before and after the allocation's collection moves it. */
  private static final long OBJECT = 0x7000_0000_1000L;
  private static final long MOVED = 0x7000_0080_1000L;

  private static final ExceptionTag TAG = new ExceptionTag() {
    @Override
    public long identity() {
      return 9;
    }

    @Override
    public FuncType type() {
      return new FuncType(List.of(ValType.EXTERNREF, ValType.I64), List.of());
    }

    @Override
    public int typeId() {
      return 0;
    }
  };

  @Test
  void onlyTheReferencesAreHeldAndRewrittenByTheCollection() {
    List<long[]> heldByAllocation = new ArrayList<>();
    try (NativeStore store = new NativeStore(); Arena arena = Arena.ofConfined()) {
      StoreExceptions.HostAllocation collecting = new StoreExceptions.HostAllocation() {
        @Override
        public long allocate(long bytes, long[] held) {
          heldByAllocation.add(held.clone());
          // a collection that moves the object at OBJECT, rewriting the roots it is given
          for (int i = 0; i < held.length; i++) {
            held[i] = held[i] == OBJECT ? MOVED : held[i];
          }
          return arena.allocate(bytes, 8).address();
        }

        @Override
        public void collect(long[] held) {
          throw new AssertionError("no origin is kept, so nothing needs its charge back");
        }
      };
      StoreExceptions exceptions = new StoreExceptions(store.context(), List::of, store.resources().memoryBytes(),
          collecting);
      assertTrue(exceptions.throwFromHost(TAG,
          List.of(new WasmValue.Ref(ValType.EXTERNREF, OBJECT), new WasmValue.I64(OBJECT)), null));

      assertEquals(1, heldByAllocation.size());
      assertArrayEquals(new long[] {OBJECT}, heldByAllocation.getFirst(), "the reference alone is a root");
      long exception = store.context().get(JAVA_LONG, StoreLayout.PENDING_EXCEPTION);
      MemorySegment object = MemorySegment.ofAddress(exception).reinterpret(ExceptionLayout.size(2));
      assertEquals(MOVED, object.get(JAVA_LONG, ExceptionLayout.value(0)), "the reference follows its object");
      assertEquals(OBJECT, object.get(JAVA_LONG, ExceptionLayout.value(1)), "the number is as thrown");
      exceptions.free();
    }
  }
}
