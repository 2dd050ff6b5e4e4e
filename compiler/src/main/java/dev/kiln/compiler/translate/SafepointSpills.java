package dev.kiln.compiler.translate;

import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The bookkeeping of one function's GC references around its safepoint calls ({@link
 * GcSafepoints} spills and reloads them; this class says which): the reference locals live after a
 * safepoint ({@link ReferenceLiveness}), the references on the operand stack below a call's
 * operands and the exceptions legacy {@code catch} clauses hold are spilled before it, and after it
 * (and on its exceptional edge) their locals, stack positions and the stack positions' SSA variables
 * take the reloaded values. Its own class because it is the one place that knows how a frame's
 * references are laid out in a spill (locals first, then caught exceptions, then stack positions,
 * then what an allocation holds), which the calls, the allocations and the exception pads must
 * agree on.
 *
 * <p>Spilled, the references cost code at each safepoint and a merge parameter wherever a reloaded
 * value meets the value from before: the function's {@link SpillBudget} is charged both, and when
 * it passes, the translation is abandoned ({@link SpillBudget.Passed}) and made again in the
 * frame-resident form, where every reference the frame holds across a safepoint lives in a slot of
 * its own ({@link GcSafepoints}) and no safepoint gets code:
 *
 * <ul>
 *   <li>a reference local live after some safepoint: its slot is stored at the entry and at each
 *       write, loaded at each read;
 *   <li>a reference on the operand stack: stored once, at the first safepoint below whose operands
 *       it lies or at the first construct that begins above it, whichever comes first; from then
 *       on its position is resident ({@link OperandStack#makeResident}) and each use of it loads the
 *       slot. Storing it where a construct begins makes the store dominate everything that reads
 *       the position inside the construct and at its ends (a merge, a loop's back edges, an {@code
 *       else}, a catch clause), whatever paths the body takes; a value pushed inside a construct and
 *       made resident there is used only in that construct's own straight-line code after the
 *       store, since the constructs nested in it cannot reach below their own base;
 *   <li>a legacy {@code catch} clause's exception: stored where the clause begins, loaded by {@code
 *       rethrow};
 *   <li>an allocation's own operands (the fields of {@code struct.new}): stored around its slow path,
 *       once per allocation, as when spilled, but to resident slots.
 * </ul>
 */
final class SafepointSpills implements GcObjects.SlowPathSpills {
  private final FunctionBuilder b;
  private final GcSafepoints gc;
  private final NullChecks nulls;
  private final OperandStack stack;
  /** The locals' builder variables, parameters first. */
  private final int[] localVars;
  /** Which reference locals are live after each safepoint: the only ones it spills. */
  private final ReferenceLiveness liveness;
  /** The body offset of the instruction being translated: the safepoint a spill is for. */
  private final IntSupplier instructionStart;
  /** What the spills and their merges have cost so far; null in the frame-resident form. */
  private final SpillBudget budget;
  /**
   * Per operand-stack position, the SSA variable holding the GC reference there while control
   * frames above it run ({@link #enterFrame}): a safepoint call reloads such a value into a new IR
   * value on one path only.
   */
  private final Map<Integer, Integer> stackReferenceVars = new HashMap<>();
  /**
   * The variables of the exceptions the open legacy {@code catch} clauses hold for {@code rethrow}
   * ({@link #holdCaught}), innermost last: GC references the frame holds besides its locals and
   * operand stack, spilled at each safepoint as the locals are.
   */
  private final List<Integer> caughtVars = new ArrayList<>();
  /**
   * Spilled: per open control frame, innermost last, the variables a safepoint's reload redefined
   * inside it, nested frames included; each needs a parameter where the frame's paths meet.
   */
  private final List<BitSet> reloadedInFrame = new ArrayList<>();

  /**
   * Per local, its frame-resident slot ({@link GcSafepoints}'s resident slots), or -1 for a local
   * kept in its variable; null when the function spills.
   */
  private final int[] residentSlot;
  /** Frame-resident: per operand-stack position its slot, handed out at its first store; -1 before. */
  private int[] positionSlots = new int[0];
  /** Operand stack positions read for references at safepoints and frame boundaries (the work tests count). */
  private long stackPositionsRead;
  /** Frame-resident: the caught exceptions' slots, by how many clauses around held one already. */
  private final List<Integer> caughtSlotsByDepth = new ArrayList<>();
  /** Frame-resident: the slot of each held caught exception's variable. */
  private final Map<Integer, Integer> caughtSlots = new HashMap<>();

  /**
   * At the function's entry (the parameters defined). The function is frame-resident when {@code
   * budgetPassed} (its spilled translation passed the budget) or when its locals alone would
   * ({@link ReferenceLiveness#passesBudget}): then the locals' slots are reserved and each one's
   * initial value (its parameter, or null) stored there, where every safepoint's stack map names it
   * from the first.
   */
  SafepointSpills(FunctionBuilder b, GcSafepoints gc, NullChecks nulls, OperandStack stack, int[] localVars,
      ReferenceLiveness liveness, IntSupplier instructionStart, int bodyBytes, boolean budgetPassed) {
    this.b = b;
    this.gc = gc;
    this.nulls = nulls;
    this.stack = stack;
    this.localVars = localVars;
    this.liveness = liveness;
    this.instructionStart = instructionStart;
    if (!budgetPassed && !liveness.passesBudget()) {
      budget = new SpillBudget(bodyBytes);
      residentSlot = null;
      reloadedInFrame.add(new BitSet()); // the function's own frame
      return;
    }
    budget = null;
    int[] resident = liveness.frameResidentLocals();
    gc.beginFrameResident(resident.length);
    residentSlot = new int[localVars.length];
    Arrays.fill(residentSlot, -1);
    for (int slot = 0; slot < resident.length; slot++) {
      residentSlot[resident[slot]] = slot;
      gc.storeResident(slot, b.useVar(localVars[resident[slot]]));
    }
    stack.loadResidentFrom((position, before) -> {
      int loaded = gc.loadResident(positionSlots[position], b.function().dfg().valueType(before));
      nulls.same(before, loaded);
      return loaded;
    });
  }

  /**
   * At the end of the translation: the frame-resident form's slots are declared and those the entry
   * did not store start as null ({@link GcSafepoints#finish}).
   */
  void finish() {
    gc.finish();
  }

  /**
   * Whether this is the spilled form and it has spilled a reference: its spills may be what took
   * the function past the IR its spill budget allows ({@link SpillBudget#irAllowance}), which the
   * frame-resident form, linear in the body, may not pass.
   */
  boolean spilledAny() {
    return budget != null && budget.spent() > 0;
  }

  /**
   * How many operand stack positions were read to find the references on the stack: below each
   * safepoint's operands ({@link #spillForCall}), where a frame begins ({@link #enterFrame}) and
   * where paths meet ({@link #useStackReferences}), in the spilled form.
   */
  long stackPositionsRead() {
    return stackPositionsRead;
  }

  /** Whether local {@code local} lives in a frame slot rather than its variable ({@link #readLocal}). */
  boolean isFrameResident(int local) {
    return residentSlot != null && residentSlot[local] >= 0;
  }

  /** {@code local.get} of frame-resident local {@code local}: a load of its slot. */
  int readLocal(int local) {
    return gc.loadResident(residentSlot[local], b.varType(localVars[local]));
  }

  /** {@code local.set} of frame-resident local {@code local}: a store to its slot. */
  void writeLocal(int local, int value) {
    gc.storeResident(residentSlot[local], value);
  }

  /**
   * A frame starts above stack height {@code height}. Spilled: each GC reference on the stack below
   * it becomes the current value of its position's variable. Inside the frame only a safepoint call
   * changes such a value (its reload after the call, {@code FuncTranslator.afterCall}; wasm cannot
   * pop below a frame), and it does so on its own path: where paths meet (a frame's merge, a loop
   * header, an {@code else}, a legacy catch) the stack takes the variables' values ({@link
   * #useStackReferences}), so a reload on one path never reaches the merge as if it dominated it
   * (difffuzz-gc seeds 1028 and 113676618398332: "used where no definition reaches it"), and a
   * loop's next iteration sees the last reload, not the value from before the loop. Frame-resident:
   * each reference below {@code height} not resident yet is stored to its slot here, before the
   * frame's first block, so the slot holds it on every path through the frame.
   */
  void enterFrame(int height) {
    if (gc.isFrameResident()) {
      settleStack(height);
      return;
    }
    reloadedInFrame.add(new BitSet());
    if (!gc.hasReferences()) {
      return; // no value is a reference yet, so none is on the stack
    }
    stackPositionsRead += height;
    for (int position = 0; position < height; position++) {
      if (gc.isReference(stack.get(position))) {
        b.defVar(stackReferenceVar(position, stack.get(position)), stack.get(position));
      }
    }
  }

  /**
   * The innermost frame ended. Spilled: each variable a reload redefined inside it needs a parameter
   * where its paths meet, charged to the budget, and counts as redefined in the frame around it too.
   * The function's own frame joins none: its end returns.
   */
  void leaveFrame() {
    if (gc.isFrameResident()) {
      return;
    }
    BitSet reloaded = reloadedInFrame.removeLast();
    if (!reloadedInFrame.isEmpty()) {
      budget.charge(reloaded.cardinality());
      reloadedInFrame.getLast().or(reloaded);
    }
  }

  /**
   * At a block where paths meet: the stack's GC references below {@code height} from their
   * variables; frame-resident, they are in their slots already ({@link #enterFrame}).
   */
  void useStackReferences(int height) {
    if (gc.isFrameResident() || !gc.hasReferences()) {
      return;
    }
    stackPositionsRead += height;
    for (int position = 0; position < height; position++) {
      int before = stack.get(position);
      if (gc.isReference(before)) {
        int merged = gc.markObject(b.useVar(stackReferenceVar(position, before)));
        nulls.same(before, merged);
        stack.set(position, merged);
      }
    }
  }

  /**
   * Frame-resident: each GC reference on the stack below {@code height} that is not resident yet is
   * stored to its position's slot and made resident. Only the positions pushed or replaced since
   * the last time are looked at ({@link OperandStack#unchangedBelow}): those below it are resident
   * or no reference, so each pushed value is looked at once, not once per safepoint it sits below.
   */
  private void settleStack(int height) {
    for (int position = stack.unchangedBelow(); position < height; position++) {
      int value = stack.get(position);
      if (!stack.isResident(position) && gc.isReference(value)) {
        gc.storeResident(positionSlot(position), value);
        stack.makeResident(position);
      }
    }
    stack.markExamined(height);
  }

  /** Frame-resident: the slot of stack position {@code position}, handed out at its first use. */
  private int positionSlot(int position) {
    if (position >= positionSlots.length) {
      int old = positionSlots.length;
      positionSlots = Arrays.copyOf(positionSlots, Math.max(16, Math.max(position + 1, old * 2)));
      Arrays.fill(positionSlots, old, positionSlots.length, -1);
    }
    if (positionSlots[position] < 0) {
      positionSlots[position] = gc.newResidentSlot();
    }
    return positionSlots[position];
  }

  /** The variable of stack position {@code position}, of {@code value}'s IR type. */
  private int stackReferenceVar(int position, int value) {
    Type type = b.function().dfg().valueType(value);
    Integer var = stackReferenceVars.get(position);
    if (var == null || !b.varType(var).equals(type)) {
      var = b.declareVar(type);
      stackReferenceVars.put(position, var);
    }
    return var;
  }

  /**
   * From here on the frame holds an exception in builder variable {@code var} (a legacy {@code
   * catch} clause's, for {@code rethrow}; {@link #setCaught}) until {@link #releaseCaught}: a
   * collection under a call in the clause moves it as it moves a reference local.
   */
  void holdCaught(int var) {
    if (gc.isFrameResident()) {
      int depth = caughtVars.size();
      if (depth == caughtSlotsByDepth.size()) {
        caughtSlotsByDepth.add(gc.newResidentSlot());
      }
      caughtSlots.put(var, caughtSlotsByDepth.get(depth));
    }
    caughtVars.add(var);
  }

  /** The legacy {@code try} whose clauses held {@code var} ended. */
  void releaseCaught(int var) {
    caughtVars.remove(Integer.valueOf(var));
    caughtSlots.remove(var);
  }

  /** A clause begins with {@code exception} caught, held in {@code var} ({@link #holdCaught}). */
  void setCaught(int var, int exception) {
    if (gc.isFrameResident()) {
      gc.storeResident(caughtSlots.get(var), exception);
    } else {
      b.defVar(var, exception);
    }
  }

  /** The exception held in {@code var} ({@code rethrow}). */
  int readCaught(int var) {
    return gc.isFrameResident() ? gc.loadResident(caughtSlots.get(var), Type.I64) : b.useVar(var);
  }

  /**
   * The GC references spilled around one safepoint call: the variables' (the reference locals' by
   * local index, then the caught exceptions') first, then the operand stack's (by stack position),
   * as {@link GcSafepoints.Spill} holds them; null when the frame holds none across the call.
   */
  record CallSpill(GcSafepoints.Spill spill, int[] vars, int[] stackPositions) {}

  /**
   * Spills the GC references live across a call that takes {@code operands} values off the operand
   * stack: the value of each reference local live after it ({@link ReferenceLiveness}: a local
   * written before any read, or never read again, holds nothing the code will use, so it is neither
   * a root nor reloaded, and keeps its variable's value from before the call, which no read reaches)
   * and every reference on the stack below the operands (the operands themselves are the callee's).
   * Null, emitting nothing, when there is none.
   */
  CallSpill spillForCall(int operands) {
    if (!gc.isFrameResident() && !gc.hasReferences() && caughtVars.isEmpty()
        && liveness.referenceLocalsLiveAfter(instructionStart.getAsInt()).length == 0) {
      // No value of the function is a GC reference so far, so none is on the stack, and no local
      // or caught exception needs one: nothing to spill, known without reading the stack below
      // the operands (every call of a C or C++ program's functions, whose stack walk and lists
      // were 0.6% of a yosys compile's samples).
      return null;
    }
    return spillForCall(operands, new int[0], new ArrayList<>());
  }

  /**
   * Before an allocation's paths split ({@link GcObjects}): frame-resident, the stack's references
   * are stored to their slots here, on the path both take, not on the slow path alone, since the
   * code after the join reads them from the slots (spilled, each path passes its own values to the
   * join instead).
   */
  @Override
  public void beforePaths() {
    if (gc.isFrameResident()) {
      settleStack(stack.height());
    }
  }

  /**
   * {@link #spillForCall} of an allocation's slow path ({@link GcObjects}), which takes nothing off
   * the operand stack but whose instruction holds {@code held} (the fields of {@code struct.new},
   * say): the GC references among those are spilled after the frame's.
   */
  @Override
  public GcObjects.Spilled spill(int[] held) {
    List<Integer> heldAt = new ArrayList<>();
    CallSpill spill = spillForCall(0, held, heldAt);
    if (spill == null) {
      return null;
    }
    int frameValues = spill.vars().length + spill.stackPositions().length;
    return new GcObjects.Spilled() {
      @Override
      public int[] values() {
        return spill.spill().values();
      }

      @Override
      public void markCalls() {
        spill.spill().markCalls();
      }

      @Override
      public int[] reload() {
        return spill.spill().reload();
      }

      @Override
      public void restore(int[] values, int[] held) {
        for (int value : values) {
          gc.markObject(value);
        }
        restoreFrame(spill, values);
        for (int i = 0; i < heldAt.size(); i++) {
          held[heldAt.get(i)] = values[frameValues + i];
        }
      }
    };
  }

  /**
   * Spills the frame's GC references as {@link #spillForCall(int)} does, then those of {@code
   * held}, whose indices it adds to {@code heldAt}.
   */
  private CallSpill spillForCall(int operands, int[] held, List<Integer> heldAt) {
    List<Integer> vars = new ArrayList<>();
    List<Integer> values = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    if (gc.isFrameResident()) {
      settleStack(stack.height() - operands);
    } else {
      for (int local : liveness.referenceLocalsLiveAfter(instructionStart.getAsInt())) {
        vars.add(localVars[local]);
        values.add(b.useVar(localVars[local]));
      }
      for (int var : caughtVars) {
        vars.add(var);
        values.add(b.useVar(var));
      }
      stackPositionsRead += Math.max(0, stack.height() - operands);
      for (int i = 0; i < stack.height() - operands; i++) {
        if (gc.isReference(stack.get(i))) {
          positions.add(i);
          values.add(stack.get(i));
        }
      }
      budget.charge(values.size());
    }
    for (int i = 0; i < held.length; i++) {
      if (gc.isReference(held[i])) {
        heldAt.add(i);
        values.add(held[i]);
      }
    }
    GcSafepoints.Spill spill = gc.spill(values.stream().mapToInt(Integer::intValue).toArray());
    if (spill == null) {
      return null;
    }
    return new CallSpill(spill, vars.stream().mapToInt(Integer::intValue).toArray(),
        positions.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The variables and operand stack entries of {@code spill} take their reloaded values. */
  private void restoreFrame(CallSpill spill, int[] reloaded) {
    sameReferences(spill, reloaded);
    int at = 0;
    for (int var : spill.vars()) {
      redefine(var, reloaded[at++]);
    }
    for (int position : spill.stackPositions()) {
      redefine(stackReferenceVar(position, stack.get(position)), reloaded[at]);
      stack.set(position, reloaded[at++]);
    }
  }

  /** Each reloaded value is the reference spilled in its slot, moved or not ({@link NullChecks#same}). */
  private void sameReferences(CallSpill spill, int[] reloaded) {
    int[] before = spill.spill().values();
    for (int i = 0; i < reloaded.length; i++) {
      nulls.same(before[i], reloaded[i]);
    }
  }

  /**
   * After the safepoint call {@code spill} was made for (its stack map then names the slots): the
   * references are loaded back from the slots and take the place of the values from before the call.
   */
  void restoreAfterCall(CallSpill spill) {
    spill.spill().markCalls();
    restoreFrame(spill, spill.spill().reload());
  }

  /**
   * On a safepoint call's exceptional edge, in the pad before the dispatch: the spilled references
   * loaded back into their locals' and stack positions' variables, which the catch's code reads.
   */
  void reloadOnUnwind(CallSpill spill) {
    int[] reloaded = spill.spill().reload();
    sameReferences(spill, reloaded);
    for (int i = 0; i < spill.vars().length; i++) {
      redefine(spill.vars()[i], reloaded[i]);
    }
    for (int i = 0; i < spill.stackPositions().length; i++) {
      int position = spill.stackPositions()[i];
      redefine(stackReferenceVar(position, stack.get(position)), reloaded[spill.vars().length + i]);
    }
  }

  /** Variable {@code var} takes {@code reloaded}, a value its frame's merges must take in ({@link #leaveFrame}). */
  private void redefine(int var, int reloaded) {
    b.defVar(var, reloaded);
    reloadedInFrame.getLast().set(var);
  }
}
