package dev.kiln.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * A word Java gives as an externref is never taken for a GC object, whatever the order of calls
 * (red team 10 F2), on both targets and through every way in: a global, a table slot, a function
 * argument, a host function's result. Compiled code takes any 8-aligned word inside the heap's
 * reservation for an object, so an attacker who knows where the heap will go (mmap gives a freed
 * range back) hands that address over before the store has a heap, or, after a collection, an
 * address in the semispace not in use: either would become an object header it forged.
 */
class HostWordOutsideGcHeapTest {
  private static final String HOST_WORDS = """
      (module
        (import "env" "give" (func $give (result externref)))
        (global (export "w") (mut externref) (ref.null extern))
        (table (export "t") 1 externref)
        (func (export "take") (param externref))
        (func (export "callGive") (drop (call $give)))
      )
      """;
  private static final String GC = """
      (module
        (type $A (struct (field i64)))
        (func (export "mk") (result anyref) (struct.new $A (i64.const 1)))
      )
      """;

  /** A way a word goes from Java into a store. */
  enum WayIn {
    GLOBAL, TABLE, ARGUMENT, HOST_RESULT;

    /** Hands {@code word} to {@code words}' store this way; whether the store refused it. */
    boolean give(Instance words, long[] hostResult, long word) {
      Val value = new Val.Ref(ValType.EXTERNREF, word);
      try {
        switch (this) {
          case GLOBAL -> words.global("w").set(value);
          case TABLE -> words.table("t").set(0, value);
          case ARGUMENT -> words.func("take").call(value);
          case HOST_RESULT -> {
            hostResult[0] = word;
            words.func("callGive").call();
          }
        }
        return false;
      } catch (IllegalArgumentException refused) {
        return true;
      } catch (Trap trap) {
        assertInstanceOf(IllegalArgumentException.class, trap.getCause(), trap::getMessage);
        return true;
      }
    }
  }

  static Stream<Arguments> waysAndTargets() {
    return Stream.of(WayIn.values()).flatMap(w -> Stream.of(Target.values()).map(t -> Arguments.of(w, t)));
  }

  private static Instance hostWords(Store store, Engine engine, long[] hostResult) {
    return new Linker(store)
        .func("env", "give", FuncType.of(List.of(), List.of(ValType.EXTERNREF)),
            (caller, args) -> List.of(new Val.Ref(ValType.EXTERNREF, hostResult[0])))
        .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(HOST_WORDS, "host-words.wat")));
  }

  private static long heapBase(Store store) {
    return store.internal().context().get(JAVA_LONG, StoreLayout.GC_HEAP_BASE);
  }

  @ParameterizedTest
  @MethodSource("waysAndTargets")
  void aWordWhereTheHeapWillBeIsNeverAnObject(WayIn way, Target target) {
    Engine engine = Engine.builder().target(target).build();
    WasmModule gc = WasmModule.compile(engine, Wat.toBinaryWithNames(GC, "gc.wat"));
    long predicted;
    try (Store earlier = new Store(engine)) {
      new Linker(earlier).instantiate(gc);
      predicted = heapBase(earlier);
    }
    long word = predicted + 8;
    try (Store store = new Store(engine)) {
      long[] hostResult = new long[1];
      Instance words = hostWords(store, engine, hostResult);
      boolean refused = way.give(words, hostResult, word);
      new Linker(store).instantiate(gc).func("mk").call();
      assertNotEquals(0, heapBase(store));
      // given before the heap existed, the word may only have been taken if the heap lies elsewhere
      assertTrue(refused || !store.internal().inGcHeap(word), "a host word inside the GC heap was taken");
    }
  }

  @ParameterizedTest
  @MethodSource("waysAndTargets")
  void aWordInTheSemispaceNotInUseIsRefused(WayIn way, Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (Store store = new Store(engine)) {
      long[] hostResult = new long[1];
      Instance words = hostWords(store, engine, hostResult);
      new Linker(store).instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(GC, "gc.wat"))).func("mk").call();
      long before = heapBase(store);
      store.internal().collectGarbage(new long[0], false);
      assertNotEquals(before, heapBase(store), "the collection flipped the semispaces");
      // the old semispace is where the next collection copies objects to
      assertTrue(way.give(words, hostResult, before + 8), "a word in the other semispace was taken");
      assertFalse(way.give(words, hostResult, 0x1000), "a word outside the heap is an ordinary externref");
    }
  }
}
