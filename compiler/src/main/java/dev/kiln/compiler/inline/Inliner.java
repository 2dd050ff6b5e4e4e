package dev.kiln.compiler.inline;

import dev.kiln.artifact.FuncKey;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.ir.inline.CallInliner;
import dev.kiln.wasm.module.FunctionBody;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Inlines small direct callees into the functions of one module. A call's cost in Kiln's code is
 * the argument shuffle into the convention registers, the callee's prologue (frame, stack check
 * unless it is a small leaf, callee-saved pushes) and epilogue, and the registers the call
 * clobbers around it; for a callee of a few instructions, such as compiler-rt's {@code __multi3} (a
 * 64x64->128 multiply whose result goes through linear memory) or the two recursive calls of {@code
 * fib}, that is more than the work. Inlined, the body also meets its arguments: constants fold, the
 * memory-base loads are shared with the caller's, and a callee that stores a result its caller
 * loads at once costs one register move after value numbering.
 *
 * <p><b>Which calls.</b> A direct {@code call} of a defined function whose wasm body is at most
 * {@link #MAX_CALLEE_BODY_BYTES} and whose translated, optimised IR costs at most {@link
 * #MAX_CALLEE_INSTRUCTIONS} instructions where the call repeats (inside a loop, {@link LayoutLoops},
 * or a function calling itself), at most {@link #MAX_STRAIGHT_LINE_CALLEE_INSTRUCTIONS} elsewhere,
 * until the caller has taken {@link #CALLER_BUDGET} instructions from inlining, in layout order. A
 * call that runs once per run of its caller pays its overhead once, and a copy of a mid-size body
 * there is compile work for little: in yosys (41,000 functions), callees of 13 to 48 instructions
 * at such calls were about half of all the instructions inlined, and leaving them called makes
 * 5% less code and about 4% less compile CPU (docs/PERFORMANCE.md). In a loop or a recursion the
 * overhead repeats with every iteration, which is where inlining pays. An instruction's cost is its count, or its IR
 * ({@code DataFlowGraph.size()}: values and operands too) at {@link #IR_UNITS_PER_INSTRUCTION} a
 * unit where that is more: a call of a function of 1,000 results is one instruction and about
 * 3,000 units, and counted as one, a callee of a dozen such calls inlined 50 times in a 100-byte
 * caller made 15.6 MB of code after the caller's IR cap was checked (red team 29 F5). So inlining
 * adds at most {@code CALLER_BUDGET * IR_UNITS_PER_INSTRUCTION} units to any caller. One level only: the inlined bodies are the callees'
 * own translations, so a recursive function is unrolled once at each of its call sites and code
 * size stays bounded. Tail calls in a callee ({@code return_call}) rule it out (they would return
 * from the caller), as does a callee that never returns. Imported functions and indirect calls are
 * never inlined; the direct calls a call_indirect through a fixed table becomes (one per slot of
 * its type, {@code TableOperators}) are direct calls like any other.
 *
 * <p><b>Not with epoch interruption.</b> A function that calls nothing reads the epoch deadline as a
 * readonly value ({@code InterruptChecks}): inlined into a caller that calls host code, value
 * numbering could reuse a deadline read before that call. Fuel metering stays exact: the caller
 * stores its count before the call it replaces and the inlined entry reads it back, as the
 * callee's own entry would.
 *
 * <p><b>Threads.</b> One inliner serves every compile thread of a module: each callee is translated
 * at most a few times (the first threads to want it), then shared read-only
 * ({@link CallInliner} only reads the callee).
 */
public final class Inliner {
  /** Largest wasm body (code bytes) worth translating as a candidate. */
  static final int MAX_CALLEE_BODY_BYTES = 256;
  /** Largest callee, in IR instructions after its own optimisation, at a call that repeats. */
  static final int MAX_CALLEE_INSTRUCTIONS = 48;
  /** Largest callee at a call that does not repeat: outside every loop, to another function. */
  static final int MAX_STRAIGHT_LINE_CALLEE_INSTRUCTIONS = 12;
  /** How many instructions one caller may gain from inlining. */
  static final int CALLER_BUDGET = 1200;
  /**
   * IR units ({@code DataFlowGraph.size()}) that count as one instruction: well above what ordinary
   * code makes (an instruction, its value, two or three operands and a result slot; at 8, one
   * sightglass callee already cost more than its count and rust-json's code changed), so only a
   * callee whose instructions move many values costs more than its count, and the sightglass
   * artifacts stay byte-identical.
   */
  static final int IR_UNITS_PER_INSTRUCTION = 16;

  private final ModuleEnvironment env;
  /**
   * Per defined function: whether it is a candidate and its body, once some caller asked (null
   * before). An array, not a map keyed by boxed index: every direct call of every caller looks its
   * callee up here (a ConcurrentHashMap's lookup and the Optionals around it were about 1% of a
   * yosys compile's translation and inlining samples).
   */
  private final AtomicReferenceArray<Optional<Candidate>> candidates;

  /** A callee small enough to inline: its translated IR and that IR's cost ({@link #cost}). */
  private record Candidate(Function ir, int size) {}

  public Inliner(ModuleEnvironment env) {
    this.env = env;
    this.candidates = new AtomicReferenceArray<>(env.definedFunctionCount());
  }

  /**
   * Translates defined function {@code definedIndex}, inlines its chosen calls and optimises the
   * result, once: optimising the caller before inlining as well would run every pass over it twice
   * (4% of a large module's compile time) for code the second run reworks anyway.
   *
   * {@code graphs} is the compile worker's, as for {@link FuncTranslator#translateForCompile}.
   *
   * @throws UnsupportedFeatureException when the body uses an operator not translated yet
   */
  public Function translate(int definedIndex, ReusedGraph graphs) {
    Function f = FuncTranslator.translateUnoptimised(env, definedIndex, graphs);
    long translated = f.dfg().size();
    inlineCalls(f);
    // What inlining added counts against the module's IR budget as translation does: at up to
    // CALLER_BUDGET instructions a caller, a two-byte caller otherwise made hundreds of units a byte
    // (red team 32 F1)
    env.irBudget().charge(Math.max(0, f.dfg().size() - translated), env.importedFunctionCount() + definedIndex,
        env.module().code().get(definedIndex).bodyStart());
    FuncTranslator.optimise(f);
    return f;
  }

  /**
   * Inlines the chosen direct calls of {@code caller} (translated from this inliner's module) and
   * returns how many it inlined; optimising the result ({@link FuncTranslator#optimise}), which
   * also resolves the aliases the call results became, is left to the caller of this method.
   */
  public int inlineCalls(Function caller) {
    DataFlowGraph dfg = caller.dfg();
    // A function that never held a direct call is not walked for one.
    if (env.limits().epochInterruption() || !dfg.mayHaveOpcode(Opcode.CALL)) {
      return 0;
    }
    Layout layout = caller.layout();
    int[] blocks = layout.blocks();
    boolean[] inLoop = LayoutLoops.blocksInLoops(dfg, layout, blocks);
    // Each call, its instruction shifted left by one and whether it repeats in the low bit.
    long[] calls = new long[8];
    int callCount = 0;
    for (int i = 0; i < blocks.length; i++) {
      for (int inst = layout.firstInst(blocks[i]); inst >= 0; inst = layout.nextInst(inst)) {
        if (dfg.opcode(inst) == Opcode.CALL && !CallInliner.hasUnwindEdge(caller, inst)) {
          if (callCount == calls.length) {
            calls = Arrays.copyOf(calls, callCount * 2);
          }
          calls[callCount++] = ((long) inst << 1) | (inLoop[i] ? 1 : 0);
        }
      }
    }
    int budget = CALLER_BUDGET;
    int inlined = 0;
    for (int c = 0; c < callCount; c++) {
      int call = (int) (calls[c] >>> 1);
      ExternalName calleeName = dfg.extFunc(dfg.aux(call)).name();
      int definedIndex = definedCallee(calleeName);
      Optional<Candidate> callee = definedIndex < 0 ? Optional.empty() : candidate(definedIndex);
      if (callee.isEmpty() || callee.get().size() > budget) {
        continue;
      }
      boolean repeats = (calls[c] & 1) != 0 || calleeName.equals(caller.name());
      if (!repeats && callee.get().size() > MAX_STRAIGHT_LINE_CALLEE_INSTRUCTIONS) {
        continue;
      }
      budget -= callee.get().size();
      CallInliner.inlineAccepted(caller, call, callee.get().ir()); // translateIfSmall asked canInline
      inlined++;
    }
    return inlined;
  }

  /**
   * Whether this inliner may inline calls of defined function {@code definedIndex} at all: its body
   * is small enough to be a candidate, and inlining is on for the module. A function for which this
   * is false is always called, never copied, wherever its callers call it.
   */
  public boolean mayInline(int definedIndex) {
    FunctionBody body = env.module().code().get(definedIndex);
    return !env.limits().epochInterruption() && body.codeEnd() - body.codeStart() <= MAX_CALLEE_BODY_BYTES;
  }

  /**
   * Whether some caller compiled so far asked for defined function {@code definedIndex} and got
   * its body to inline: it translated, optimised, within {@link #MAX_CALLEE_INSTRUCTIONS} and
   * inlinable. The inlined copies leave no call to it, which is why the {@link
   * dev.kiln.compiler.driver.Compiler} need not compile such a function that no compiled code calls.
   */
  public boolean isCandidate(int definedIndex) {
    Optional<Candidate> known = candidates.get(definedIndex);
    return known != null && known.isPresent();
  }

  /** The defined index a direct callee's name stands for, or -1 when it names no defined function of this module. */
  private int definedCallee(ExternalName name) {
    if (name instanceof ExternalName.User(int namespace, int index)
        && namespace == FuncKey.definedWasmFunction(env.moduleIndex(), 0).namespace()
        && index >= 0 && index < env.definedFunctionCount()) {
      return index;
    }
    return -1;
  }

  /** The translated body of defined function {@code definedIndex}, if it is small enough to inline. */
  private Optional<Candidate> candidate(int definedIndex) {
    Optional<Candidate> known = candidates.get(definedIndex);
    if (known == null) {
      known = translateIfSmall(definedIndex);
      candidates.compareAndSet(definedIndex, null, known);
    }
    return known;
  }

  private Optional<Candidate> translateIfSmall(int definedIndex) {
    if (!mayInline(definedIndex)) {
      return Optional.empty();
    }
    Function callee;
    try {
      callee = FuncTranslator.translate(env, definedIndex);
    } catch (UnsupportedFeatureException e) {
      return Optional.empty(); // the callee's own compile reports it
    }
    int size = cost(callee);
    if (size > MAX_CALLEE_INSTRUCTIONS || !CallInliner.canInline(callee)) {
      return Optional.empty();
    }
    return Optional.of(new Candidate(callee, size));
  }

  /** {@code f}'s instructions, or its IR units at {@link #IR_UNITS_PER_INSTRUCTION} each if more. */
  static int cost(Function f) {
    long byUnits = (f.dfg().size() + IR_UNITS_PER_INSTRUCTION - 1) / IR_UNITS_PER_INSTRUCTION;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(instructionCount(f), byUnits));
  }

  private static int instructionCount(Function f) {
    int n = 0;
    Layout layout = f.layout();
    for (int b : layout.blocks()) {
      n += layout.blockInsts(b).length;
    }
    return n;
  }
}
