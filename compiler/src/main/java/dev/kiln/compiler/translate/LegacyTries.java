package dev.kiln.compiler.translate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.module.FunctionBody;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The handlers of each legacy {@code try} of one function body (the legacy exception handling
 * proposal: {@code try bt instr* (catch x instr*)* (catch_all instr*)? end}, or {@code try bt instr*
 * delegate l}), read in one pass before translation. A {@code try}'s clauses come after its body,
 * but the translator must know them where the body ends, to build the dispatch the body's calls
 * unwind to before it translates the first clause's code; reading ahead from each {@code try}
 * instead would cost the depth of nesting times the body's length.
 */
final class LegacyTries {
  /**
   * One {@code try}'s handlers: the tag of each {@code catch} clause in order, {@link #CATCH_ALL}
   * for a {@code catch_all}; or, for {@code try ... delegate l}, no clause and the label {@code l}
   * (counted outside the {@code try}).
   */
  record Clauses(int[] tags, int delegateLabel) {
    /** {@link #tags()}' entry of a {@code catch_all} clause. */
    static final int CATCH_ALL = -1;
    /** {@link #delegateLabel()} of a {@code try} that ends with {@code end}. */
    static final int NO_DELEGATE = -1;

    boolean delegates() {
      return delegateLabel != NO_DELEGATE;
    }
  }

  /** Clauses of a try being read: its start, its tags so far. */
  private record Open(int start, List<Integer> tags) {}

  private final Map<Integer, Clauses> byStart;

  private LegacyTries(Map<Integer, Clauses> byStart) {
    this.byStart = byStart;
  }

  /** Reads the legacy {@code try}s of {@code body}, which the validator accepted. */
  static LegacyTries of(FunctionBody body) {
    Map<Integer, Clauses> byStart = new HashMap<>();
    // One entry per open construct; null for those that are not a legacy try.
    List<Open> open = new ArrayList<>();
    InstructionReader reader = new InstructionReader(body.source(), body.codeStart(), body.codeEnd());
    long read = 0;
    while (reader.hasNext()) {
      CompileDeadline.pollCounted(Phase.FUNCTIONS, read++);
      switch (reader.next()) {
        case BLOCK, LOOP, IF, TRY_TABLE -> open.add(null);
        case TRY -> open.add(new Open(reader.instructionStart(), new ArrayList<>()));
        case CATCH -> open.getLast().tags().add(reader.index());
        case CATCH_ALL -> open.getLast().tags().add(Clauses.CATCH_ALL);
        case DELEGATE -> {
          Open t = open.removeLast();
          byStart.put(t.start(), new Clauses(new int[0], reader.index()));
        }
        case END -> {
          // open is empty at the function's own end
          Open t = open.isEmpty() ? null : open.removeLast();
          if (t != null) {
            byStart.put(t.start(), new Clauses(t.tags().stream().mapToInt(Integer::intValue).toArray(),
                Clauses.NO_DELEGATE));
          }
        }
        default -> {}
      }
    }
    return new LegacyTries(byStart);
  }

  /** The handlers of the {@code try} that starts at offset {@code start} of the body's code. */
  Clauses at(int start) {
    Clauses c = byStart.get(start);
    if (c == null) {
      throw new IllegalArgumentException("no legacy try starts at offset " + start);
    }
    return c;
  }
}
