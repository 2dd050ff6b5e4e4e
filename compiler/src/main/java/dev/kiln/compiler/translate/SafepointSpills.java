package dev.kiln.compiler.translate;

import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The bookkeeping of one function's GC references around its safepoint calls ({@link
 * GcSafepoints} spills and reloads them; this class says which): the reference locals live after a
 * safepoint ({@link ReferenceLiveness}) and the references on the operand stack below a call's
 * operands are spilled before it, and after it (and
 * on its exceptional edge) their locals, stack positions and the stack positions' SSA variables
 * take the reloaded values. Its own class because it is the one place that knows how a frame's
 * references are laid out in a spill (locals first, then stack positions, then what an allocation
 * holds), which the calls, the allocations and the exception pads must agree on.
 */
final class SafepointSpills {
  private final FunctionBuilder b;
  private final GcSafepoints gc;
  private final OperandStack stack;
  /** The locals' builder variables, parameters first. */
  private final int[] localVars;
  /** Which reference locals are live after each safepoint: the only ones it spills. */
  private final ReferenceLiveness liveness;
  /** The body offset of the instruction being translated: the safepoint a spill is for. */
  private final IntSupplier instructionStart;
  /**
   * Per operand-stack position, the SSA variable holding the GC reference there while control
   * frames above it run ({@link #defineStackReferences}): a safepoint call reloads such a value into
   * a new IR value on one path only.
   */
  private final Map<Integer, Integer> stackReferenceVars = new HashMap<>();
  /**
   * The variables of the exceptions the open legacy {@code catch} clauses hold for {@code rethrow}
   * ({@link #holdCaught}), innermost last: GC references the frame holds besides its locals and
   * operand stack, spilled at each safepoint as the locals are.
   */
  private final List<Integer> caughtVars = new ArrayList<>();

  /**
   * Per local, its frame-resident slot ({@link GcSafepoints}'s resident slots), or -1 for a local
   * kept in its variable; null when the function has no frame-resident local.
   */
  private final int[] residentSlot;

  /**
   * At the function's entry (the parameters defined): when {@code liveness} makes reference locals
   * frame-resident, reserves their slots and stores each one's initial value (its parameter, or
   * null) there, where every safepoint's stack map names it from the first.
   */
  SafepointSpills(FunctionBuilder b, GcSafepoints gc, OperandStack stack, int[] localVars, ReferenceLiveness liveness,
      IntSupplier instructionStart) {
    this.b = b;
    this.gc = gc;
    this.stack = stack;
    this.localVars = localVars;
    this.liveness = liveness;
    this.instructionStart = instructionStart;
    int[] resident = liveness.frameResidentLocals();
    if (resident.length == 0) {
      residentSlot = null;
      return;
    }
    residentSlot = new int[localVars.length];
    Arrays.fill(residentSlot, -1);
    gc.reserveResidentSlots(resident.length);
    for (int slot = 0; slot < resident.length; slot++) {
      residentSlot[resident[slot]] = slot;
      gc.storeResident(slot, b.useVar(localVars[resident[slot]]));
    }
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
   * A frame starts: each GC reference on the stack below it ({@code height}) becomes the current
   * value of its position's variable. Inside the frame only a safepoint call changes such a value
   * (its reload after the call, {@code FuncTranslator.afterCall}; wasm cannot pop below a frame), and it does so on
   * its own path: where paths meet (a frame's merge, a loop header, an {@code else}, a legacy catch)
   * the stack takes the variables' values ({@link #useStackReferences}), so a reload on one path
   * never reaches the merge as if it dominated it (difffuzz-gc seeds 1028 and 113676618398332: "used
   * where no definition reaches it"), and a loop's next iteration sees the last reload, not the value
   * from before the loop.
   */
  void defineStackReferences(int height) {
    for (int position = 0; position < height; position++) {
      if (gc.isReference(stack.get(position))) {
        b.defVar(stackReferenceVar(position, stack.get(position)), stack.get(position));
      }
    }
  }

  /** At a block where paths meet: the stack's GC references below {@code height} from their variables. */
  void useStackReferences(int height) {
    for (int position = 0; position < height; position++) {
      if (gc.isReference(stack.get(position))) {
        stack.set(position, gc.markObject(b.useVar(stackReferenceVar(position, stack.get(position)))));
      }
    }
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
   * From here on the frame holds the exception in builder variable {@code var} (a legacy {@code
   * catch} clause's, for {@code rethrow}) until {@link #releaseCaught}: a collection under a call in
   * the clause moves it as it moves a reference local.
   */
  void holdCaught(int var) {
    caughtVars.add(var);
  }

  /** The legacy {@code try} whose clauses held {@code var} ended. */
  void releaseCaught(int var) {
    caughtVars.remove(Integer.valueOf(var));
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
    return spillForCall(operands, new int[0], new ArrayList<>());
  }

  /**
   * {@link #spillForCall} of an allocation's slow path ({@link GcObjects}), which takes nothing off
   * the operand stack but whose instruction holds {@code held} (the fields of {@code struct.new},
   * say): the GC references among those are spilled after the frame's.
   */
  GcObjects.Spilled spillForAllocation(int[] held) {
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
    for (int local : liveness.referenceLocalsLiveAfter(instructionStart.getAsInt())) {
      vars.add(localVars[local]);
      values.add(b.useVar(localVars[local]));
    }
    for (int var : caughtVars) {
      vars.add(var);
      values.add(b.useVar(var));
    }
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < stack.height() - operands; i++) {
      if (gc.isReference(stack.get(i))) {
        positions.add(i);
        values.add(stack.get(i));
      }
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
    int at = 0;
    for (int var : spill.vars()) {
      b.defVar(var, reloaded[at++]);
    }
    for (int position : spill.stackPositions()) {
      b.defVar(stackReferenceVar(position, stack.get(position)), reloaded[at]);
      stack.set(position, reloaded[at++]);
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
    for (int i = 0; i < spill.vars().length; i++) {
      b.defVar(spill.vars()[i], reloaded[i]);
    }
    for (int i = 0; i < spill.stackPositions().length; i++) {
      int position = spill.stackPositions()[i];
      b.defVar(stackReferenceVar(position, stack.get(position)), reloaded[spill.vars().length + i]);
    }
  }
}
