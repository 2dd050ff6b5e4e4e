package dev.kiln.artifact.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * ModuleInfo's cross-reference checks poll the compile's deadline in their loops, as the decoder and
 * the encoder poll the same records: a module chooses how many exports or element items there are
 * (one element segment may hold as many items as its file has bytes), and the checks walk them all
 * before anything else of the compile or the load polls again.
 */
class ModuleInfoCheckBudgetTest {
  private static final int ITEMS = 4 * CompileDeadline.POLL_INTERVAL;

  /** One function of type () -> (), escaping, exported {@code exports} times and in a segment of {@code items}. */
  private static ModuleInfo info(int exports, int items) {
    List<Export> all = new ArrayList<>();
    for (int i = 0; i < exports; i++) {
      all.add(new Export("f" + i, ExternKind.FUNCTION, 0));
    }
    List<Integer> functions = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      functions.add(0);
    }
    return new ModuleInfo(List.of(new FuncType(List.of(), List.of())), List.of(), List.of(0), List.of(), List.of(),
        List.of(), all, OptionalInt.empty(),
        List.of(new ElementSegment(SegmentMode.PASSIVE, 0, Optional.empty(), ValType.FUNCREF,
            new ElementItems.Functions(functions))),
        List.of(), List.of(0), Map.of());
  }

  @Test
  void theChecksOfManyExportsPollTheBudget() {
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> info(ITEMS, 0)));
    assertEquals(Phase.ASSEMBLY, e.phase(), "built by the compiler, the info is part of writing the artifact");
  }

  @Test
  void theChecksOfOneLongSegmentPollTheBudget() {
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> info(0, ITEMS)));
    assertEquals(Phase.ASSEMBLY, e.phase());
  }

  @Test
  void decodedInfoIsCheckedOnTheLoadsBudget() {
    byte[] bytes = ModuleInfoEncoder.encode(info(ITEMS, ITEMS));
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> ModuleInfoDecoder.decode(MemorySegment.ofArray(bytes), 0)));
    assertEquals(Phase.LOAD, e.phase());
  }
}
