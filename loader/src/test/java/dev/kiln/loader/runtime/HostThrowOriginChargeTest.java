package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.StoreLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each exception a host function throws into wasm keeps its origin (the host's own exception, with
 * its stack trace) until it reaches Java or the store closes, so a guest that catches host throws
 * in a loop makes the store keep one per throw (red team 10 F3): each is charged to the store's
 * memory limit, and counted here by how many the limit lets the store keep (the objects themselves
 * come from an arena here, not the store's GC heap, so only the origins count).
 */
class HostThrowOriginChargeTest {
  private static final long LIMIT = 1 << 20;

  /** Objects from an arena the test closes: the heap's part is GcHeap's, tested with it. */
  private static StoreExceptions.HostAllocation from(java.lang.foreign.Arena arena) {
    return new StoreExceptions.HostAllocation() {
      @Override
      public long allocate(long bytes, long[] held) {
        return arena.allocate(bytes, 8).address();
      }

      @Override
      public void collect(long[] held) {
        // nothing dies in an arena: every origin stays charged
      }
    };
  }

  /** A tag of one i32 parameter, as an instance would register it. */
  private static final ExceptionTag TAG = new ExceptionTag() {
    @Override
    public long identity() {
      return 7;
    }

    @Override
    public FuncType type() {
      return new FuncType(List.of(ValType.I32), List.of());
    }

    @Override
    public int typeId() {
      return 0;
    }
  };

  @Test
  void aStoreKeepsNoMoreOriginsThanItsMemoryLimitPays() {
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(LIMIT));
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      StoreExceptions exceptions = new StoreExceptions(store.context(), List::of, store.resources().memoryBytes(),
          from(arena));
      long each = StoreExceptions.ORIGIN_BYTES;
      long kept = 0;
      while (kept <= LIMIT && exceptions.throwFromHost(TAG, List.of(new WasmValue.I32(1)), new Object())) {
        kept++;
      }
      try {
        assertEquals(LIMIT / each, kept, "host-thrown exceptions kept with their origins under " + LIMIT + " bytes");
      } finally {
        exceptions.free();
      }
    }
  }

  @Test
  void anOriginThatReachedJavaIsNoLongerCharged() {
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(LIMIT));
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      StoreExceptions exceptions = new StoreExceptions(store.context(), List::of, store.resources().memoryBytes(),
          from(arena));
      TagRegistry tags = new TagRegistry();
      tags.register(TAG);
      Object origin = new Object();
      try {
        assertTrue(exceptions.throwFromHost(TAG, List.of(new WasmValue.I32(5)), origin));
        long used = store.resources().memoryBytes().used();
        long exception = store.context().get(java.lang.foreign.ValueLayout.JAVA_LONG, StoreLayout.PENDING_EXCEPTION);
        ThrownException thrown = exceptions.takeThrown(exception, tags, store);
        assertNotNull(thrown);
        assertSame(origin, thrown.origin());
        assertEquals(used - StoreExceptions.ORIGIN_BYTES, store.resources().memoryBytes().used());
      } finally {
        exceptions.free();
      }
    }
  }

  /**
   * The record of kept origins is rebuilt inside every collection ({@link StoreExceptions.Roots}), where
   * a throwable may stop it (issue 35): one stopped after an origin was found dead gives back no
   * charge, so the next collection gives each back once. Before, the dead origin's charge went back
   * before the record was replaced and went back again with the next collection, the store's memory
   * use dropping below what it held.
   */
  @Test
  void aRebuildOfTheKeptOriginsAThrowableStopsGivesBackNoCharge() {
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(LIMIT));
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      StoreExceptions exceptions = new StoreExceptions(store.context(), List::of, store.resources().memoryBytes(),
          from(arena));
      try {
        long before = store.resources().memoryBytes().used();
        assertTrue(exceptions.throwFromHost(TAG, List.of(new WasmValue.I32(1)), new Object()));
        assertTrue(exceptions.throwFromHost(TAG, List.of(new WasmValue.I32(2)), new Object()));
        int[] asked = new int[1];
        assertThrows(StackOverflowError.class, () -> exceptions.roots().retain(word -> {
          if (asked[0]++ > 0) {
            throw new StackOverflowError("the second origin's survivor");
          }
          return 0; // the first one died
        }));
        assertEquals(before + 2 * StoreExceptions.ORIGIN_BYTES, store.resources().memoryBytes().used(),
            "both origins still kept and charged");
        exceptions.roots().retain(word -> 0);
        assertEquals(before, store.resources().memoryBytes().used(), "each charge given back once");
      } finally {
        exceptions.free();
      }
    }
  }
}
