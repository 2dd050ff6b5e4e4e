package dev.kiln.artifact.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoreLayoutTest {
  @Test
  void stackLimitIsTheFirstWordBecauseProloguesLoadItWithoutDisplacement() {
    assertEquals(0, StoreLayout.STACK_LIMIT);
    assertEquals("stack_limit", StoreLayout.fields().getFirst().name());
  }

  @Test
  void fieldsAreSortedNaturallyAlignedDisjointAndInsideTheBlock() {
    List<VmField> fields = StoreLayout.fields();
    int end = 0;
    Set<String> names = new HashSet<>();
    for (VmField f : fields) {
      assertTrue(f.offset() >= end, f + " overlaps the previous field");
      assertEquals(0, f.offset() % Math.min(8, f.size()), f + " is not naturally aligned");
      assertTrue(names.add(f.name()), "duplicate " + f.name());
      end = f.end();
    }
    assertTrue(end <= StoreLayout.SIZE, "fields end at " + end + " past SIZE " + StoreLayout.SIZE);
    assertEquals(0, StoreLayout.SIZE % StoreLayout.ALIGNMENT);
  }

  @Test
  void constantsAndFieldListAgree() {
    int[] offsets = {StoreLayout.STACK_LIMIT, StoreLayout.TRAP_CODE, StoreLayout.TRAP_PC,
        StoreLayout.TRAP_FP, StoreLayout.ENTRY_SP, StoreLayout.ENTRY_FP, StoreLayout.STACK_FLOOR,
        StoreLayout.MAX_WASM_STACK, StoreLayout.BACKTRACE_COUNT, StoreLayout.BACKTRACE,
        StoreLayout.EPOCH_PTR, StoreLayout.EPOCH_DEADLINE, StoreLayout.FUEL_CONSUMED,
        StoreLayout.MEMORY_BYTES_USED, StoreLayout.MEMORY_BYTES_LIMIT, StoreLayout.TABLE_ELEMENTS_USED,
        StoreLayout.TABLE_ELEMENTS_LIMIT, StoreLayout.TYPE_DISPLAYS, StoreLayout.GC_HEAP_BASE,
        StoreLayout.GC_HEAP_TOP, StoreLayout.GC_HEAP_END, StoreLayout.GC_HEAP_LIMIT,
        StoreLayout.EXCEPTION_THROW,
        StoreLayout.RESUME_PC, StoreLayout.RESUME_SP, StoreLayout.RESUME_FP,
        StoreLayout.CAUGHT_EXCEPTION, StoreLayout.PENDING_EXCEPTION, StoreLayout.GC_ALLOCATE, StoreLayout.EXIT_FP};
    assertEquals(offsets.length, StoreLayout.fields().size());
    for (int i = 0; i < offsets.length; i++) {
      assertEquals(offsets[i], StoreLayout.fields().get(i).offset(), StoreLayout.fields().get(i).name());
    }
  }

  @Test
  void theBacktraceArrayHoldsItsCapacity() {
    VmField backtrace = StoreLayout.fields().stream().filter(f -> f.name().equals("backtrace")).findFirst().orElseThrow();
    assertEquals(8 * StoreLayout.BACKTRACE_CAPACITY, backtrace.size());
  }

  @Test
  void newerFieldsFollowTheBacktraceSoOlderOffsetsStay() {
    // The offsets every artifact compiled before epochs and fuel existed wrote its trap state at;
    // the execution limits, then the resource accounts, then the engine's type displays came after
    // the backtrace, then the GC heap's four fields, then the unwinder's entry and fields,
    // then the exception a host function throws into its caller, then the GC heap's slow path, then
    // where the wasm frames of an activation suspended in a host call begin.
    assertEquals(72, StoreLayout.BACKTRACE);
    assertEquals(StoreLayout.BACKTRACE + 8 * StoreLayout.BACKTRACE_CAPACITY, StoreLayout.EPOCH_PTR);
    assertEquals(StoreLayout.FUEL_CONSUMED + 8, StoreLayout.MEMORY_BYTES_USED);
    VmField last = StoreLayout.fields().getLast();
    assertEquals(StoreLayout.TABLE_ELEMENTS_LIMIT + 8, StoreLayout.TYPE_DISPLAYS);
    assertEquals(StoreLayout.TYPE_DISPLAYS + 8, StoreLayout.GC_HEAP_BASE);
    assertEquals(StoreLayout.GC_HEAP_LIMIT + 8, StoreLayout.EXCEPTION_THROW);
    assertEquals(StoreLayout.CAUGHT_EXCEPTION + 8, StoreLayout.PENDING_EXCEPTION);
    assertEquals(StoreLayout.PENDING_EXCEPTION + 8, StoreLayout.GC_ALLOCATE);
    assertEquals(StoreLayout.GC_ALLOCATE + 8, StoreLayout.EXIT_FP);
    assertEquals("exit_fp", last.name());
    assertTrue(StoreLayout.SIZE - last.end() < StoreLayout.ALIGNMENT, "only alignment padding after it");
  }

  @Test
  void theVmContextPointsAtTheStoreContextFromItsFirstWord() {
    assertEquals(0, VmLayout.STORE_CONTEXT);
  }
}
