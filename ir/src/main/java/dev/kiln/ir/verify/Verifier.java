package dev.kiln.ir.verify;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.FloatCC;
import dev.kiln.ir.Function;
import dev.kiln.ir.InstFormat;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Lanes;
import dev.kiln.ir.Layout;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.OperandRule;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.analysis.ControlFlowGraph;
import dev.kiln.ir.analysis.DominatorTree;
import dev.kiln.ir.text.Printer;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a function against the IR's rules and reports every violation with the block and the
 * instruction's text. Rules, in the order checked:
 *
 * <ol>
 *   <li>The layout has an entry block whose parameter types equal the signature's parameters; no
 *       branch targets the entry block (its parameters are the function's arguments).
 *   <li>Every block ends with a terminator and has no terminator before its end.
 *   <li>Every instruction has a controlling type its opcode accepts, the number of operands its
 *       format or signature asks for, operands of the types the opcode's {@link OperandRule}s
 *       require, and results as the opcode's {@link dev.kiln.ir.ResultRule} says.
 *   <li>Every branch names blocks in the layout and passes as many arguments as the target has
 *       parameters, of the same types; {@code return} values equal the signature's results, and a
 *       tail call's callee returns what this function returns.
 *   <li>SSA dominance: every operand is a defined value whose definition dominates the use (a
 *       block parameter's block dominates the using block; an instruction result comes earlier in
 *       the same block or from a strictly dominating block). Uses inside unreachable blocks are
 *       not checked for dominance, as dominance is not defined there.
 * </ol>
 */
public final class Verifier {
  private final Function f;
  private final DataFlowGraph dfg;
  private final Layout layout;
  private final List<VerifierError> errors = new ArrayList<>();

  private Verifier(Function f) {
    this.f = f;
    this.dfg = f.dfg();
    this.layout = f.layout();
  }

  /** All rule violations of {@code f}; empty when it is well formed. */
  public static List<VerifierError> verify(Function f) {
    Verifier v = new Verifier(f);
    v.run();
    return List.copyOf(v.errors);
  }

  /** Throws {@link VerifierException} listing the violations, if there are any. */
  public static void check(Function f) {
    List<VerifierError> errors = verify(f);
    if (!errors.isEmpty()) {
      throw new VerifierException(f.name().text(), errors);
    }
  }

  private void run() {
    int entry = layout.entryBlock();
    if (entry < 0) {
      errors.add(new VerifierError(-1, -1, "the function has no blocks"));
      return;
    }
    checkEntry(entry);
    for (int b = layout.firstBlock(); b >= 0; b = layout.nextBlock(b)) {
      checkBlockParams(b);
      checkTerminators(b);
      for (int i = layout.firstInst(b); i >= 0; i = layout.nextInst(i)) {
        checkInst(b, i, entry);
      }
    }
    if (errors.isEmpty()) {
      // Dominance needs a sound CFG: only computed when the structure is right.
      checkDominance();
    }
  }

  // ------------------------------------------------------------------ structure

  private void checkEntry(int entry) {
    List<Type> want = f.signature().paramTypes();
    int n = dfg.blockParamCount(entry);
    List<Type> have = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      have.add(dfg.valueType(dfg.blockParam(entry, p)));
    }
    if (!have.equals(want)) {
      blockError(entry, "entry block parameters " + types(have)
          + " differ from the signature's parameters " + types(want));
    }
  }

  private void checkBlockParams(int b) {
    for (int p = 0; p < dfg.blockParamCount(b); p++) {
      int v = dfg.blockParam(b, p);
      if (dfg.valueKind(v) != DataFlowGraph.VALUE_PARAM || dfg.valueDef(v) != b
          || dfg.valueNum(v) != p) {
        blockError(b, "parameter " + p + " (v" + v + ") is not recorded as defined by this block");
      }
    }
  }

  private void checkTerminators(int b) {
    int last = layout.lastInst(b);
    if (last < 0) {
      blockError(b, "block is empty; it must end with a terminator");
      return;
    }
    for (int i = layout.firstInst(b); i >= 0; i = layout.nextInst(i)) {
      boolean terminator = dfg.opcode(i).isTerminator();
      if (i == last && !terminator) {
        instError(b, i, "block does not end with a terminator");
      } else if (i != last && terminator) {
        instError(b, i, "terminator in the middle of the block");
      }
    }
  }

  // ------------------------------------------------------------------ instructions

  private void checkInst(int b, int i, int entry) {
    Opcode op = dfg.opcode(i);
    Type ctrl = dfg.ctrlType(i);
    String auxProblem = auxProblem(op, dfg.aux(i));
    if (auxProblem != null) {
      // Not printed: the printer would have to decode the broken field.
      errors.add(new VerifierError(b, i, "block" + b + ", inst" + i + " (" + op.text() + "): "
          + auxProblem));
      return;
    }
    if (op.hasCtrlType() && (ctrl == null || !op.ctrlTypes().contains(ctrl))) {
      instError(b, i, op.text() + " does not take type " + (ctrl == null ? "(none)" : ctrl));
      return;
    }
    if (!checkReferences(b, i, op)) {
      return;
    }
    int dests = dfg.destCount(i);
    boolean destsOk = switch (op.format()) {
      case JUMP -> dests == 1;
      case BRIF, UNWIND_EDGE -> dests == 2;
      case BR_TABLE -> dests >= 1;
      default -> dests == 0;
    };
    if (!destsOk) {
      instError(b, i, op.text() + " has " + dests + " destination(s)");
      return;
    }
    if (op == Opcode.UNWIND_EDGE) {
      int previous = layout.prevInst(i);
      Opcode call = previous < 0 ? null : dfg.opcode(previous);
      if (call != Opcode.CALL && call != Opcode.CALL_INDIRECT) {
        instError(b, i, "unwind_edge does not follow a call");
        return;
      }
    }
    int[] args = dfg.args(i);
    int expected = expectedArgCount(i, op);
    if (args.length != expected) {
      instError(b, i, op.text() + " takes " + expected + " operand(s), found " + args.length);
      return;
    }
    boolean operandsDefined = true;
    for (int a = 0; a < args.length; a++) {
      if (!dfg.isValueDefined(dfg.resolveAliases(args[a]))) {
        instError(b, i, "operand " + a + " (v" + args[a] + ") is not a defined value");
        operandsDefined = false;
      }
    }
    if (!operandsDefined) {
      return;
    }
    checkOperandTypes(b, i, op, ctrl, args);
    checkResults(b, i, op, ctrl);
    checkConstant(b, i, op, ctrl);
    for (int d = 0; d < dfg.destCount(i); d++) {
      checkBlockCall(b, i, dfg.dest(i, d), entry);
    }
  }

  private static String auxProblem(Opcode op, int aux) {
    if (op.hasLanes()) {
      return Lanes.isOrdinal(aux) && op.laneSet().contains(Lanes.ofOrdinal(aux)) ? null
          : "lane shape " + (Lanes.isOrdinal(aux) ? Lanes.ofOrdinal(aux).text() : aux)
              + " is not one " + op.text() + " takes";
    }
    return switch (op.format()) {
      case INT_COMPARE -> aux >= 0 && aux < IntCC.values().length ? null
          : "integer condition code " + aux + " is out of range";
      case FLOAT_COMPARE -> aux >= 0 && aux < FloatCC.values().length ? null
          : "float condition code " + aux + " is out of range";
      case TRAP, COND_TRAP, BOUNDS_CHECK -> aux >= 0 && aux < TrapCode.values().length ? null
          : "trap code " + aux + " is out of range";
      case LOAD, STORE -> MemFlags.ofBits(aux).bits() == aux ? null
          : "memory flag bits 0x" + Integer.toHexString(aux) + " are not all defined";
      default -> null;
    };
  }

  private boolean checkReferences(int b, int i, Opcode op) {
    int aux = dfg.aux(i);
    if (op.format() == InstFormat.CALL && (aux < 0 || aux >= dfg.extFuncCount())) {
      instError(b, i, "fn" + aux + " is not declared");
      return false;
    }
    if (op.format() == InstFormat.CALL_INDIRECT && (aux < 0 || aux >= dfg.signatureCount())) {
      instError(b, i, "sig" + aux + " is not declared");
      return false;
    }
    return true;
  }

  private int expectedArgCount(int i, Opcode op) {
    return switch (op.format()) {
      case MULTIARY -> f.signature().results().size();
      case CALL -> dfg.callSignature(i).params().size();
      case CALL_INDIRECT -> 1 + dfg.callSignature(i).params().size();
      default -> op.format().fixedArgs();
    };
  }

  private void checkOperandTypes(int b, int i, Opcode op, Type ctrl, int[] args) {
    List<Type> variadic = switch (op.format()) {
      case MULTIARY -> f.signature().resultTypes();
      case CALL, CALL_INDIRECT -> dfg.callSignature(i).paramTypes();
      default -> List.of();
    };
    List<OperandRule> rules = op.operandRules();
    Type first = args.length > 0 ? dfg.valueType(args[0]) : null;
    Lanes lanes = op.hasLanes() ? dfg.lanes(i) : null;
    for (int a = 0; a < args.length; a++) {
      Type t = dfg.valueType(args[a]);
      if (a < rules.size()) {
        OperandRule rule = rules.get(a);
        if (!rule.accepts(t, ctrl, first, lanes)) {
          String expected = switch (rule) {
            case SAME -> "the controlling type " + ctrl;
            case AS_FIRST -> "the first operand's type " + first;
            case LANE -> "the " + lanes + " lane type " + lanes.scalarType();
            default -> rule.description();
          };
          instError(b, i, "operand " + a + " (v" + args[a] + ") is " + t + ", expected "
              + expected);
        }
      } else {
        Type want = variadic.get(a - rules.size());
        if (t != want) {
          String what = op == Opcode.RETURN ? "return value " : "argument ";
          instError(b, i, what + (a - rules.size()) + " (v" + args[a] + ") is " + t
              + ", the signature says " + want);
        }
      }
    }
    if (op == Opcode.RETURN_CALL || op == Opcode.RETURN_CALL_INDIRECT) {
      List<Type> calleeResults = dfg.callSignature(i).resultTypes();
      if (!calleeResults.equals(f.signature().resultTypes())) {
        instError(b, i, "tail call returns " + types(calleeResults) + " but the function returns "
            + types(f.signature().resultTypes()));
      }
    }
  }

  private void checkResults(int b, int i, Opcode op, Type ctrl) {
    List<Type> want = dfg.resultTypes(op, ctrl, dfg.aux(i));
    int[] results = dfg.results(i);
    List<Type> have = new ArrayList<>();
    for (int r = 0; r < results.length; r++) {
      int v = results[r];
      if (dfg.valueKind(v) != DataFlowGraph.VALUE_RESULT || dfg.valueDef(v) != i
          || dfg.valueNum(v) != r) {
        instError(b, i, "result v" + v + " is not recorded as defined by this instruction");
        return;
      }
      have.add(dfg.valueType(v));
    }
    if (!have.equals(want)) {
      instError(b, i, op.text() + " should define " + types(want) + ", defines " + types(have));
    }
  }

  private void checkConstant(int b, int i, Opcode op, Type ctrl) {
    long imm = dfg.imm(i);
    String problem = switch (op.format()) {
      case CONST -> op == Opcode.ICONST && ctrl == Type.I32 && imm != (int) imm
          || op == Opcode.F32CONST && (imm >>> 32) != 0
          ? "immediate 0x" + Long.toHexString(imm) + " does not fit " + ctrl : null;
      case VCONST -> imm >= 0 && imm < dfg.vectorConstantCount() ? null
          : "vector constant " + imm + " is not in the pool";
      case SHUFFLE -> shuffleProblem(imm);
      case VINT_COMPARE -> imm >= 0 && imm < IntCC.values().length ? null
          : "integer condition code " + imm + " is out of range";
      case VFLOAT_COMPARE -> imm >= 0 && imm < FloatCC.values().length ? null
          : "float condition code " + imm + " is out of range";
      case EXTRACT_LANE, INSERT_LANE -> imm >= 0 && imm < dfg.lanes(i).laneCount() ? null
          : "lane " + imm + " is not one of the " + dfg.lanes(i).laneCount() + " of " + dfg.lanes(i);
      default -> null;
    };
    if (problem != null) {
      instError(b, i, problem);
    }
  }

  /** Why a shuffle's immediate is not a pool index of 16 byte indexes below 32, or null. */
  private String shuffleProblem(long imm) {
    if (imm < 0 || imm >= dfg.vectorConstantCount()) {
      return "vector constant " + imm + " is not in the pool";
    }
    DataFlowGraph.VectorConstant c = dfg.vectorConstantAt((int) imm);
    return ((c.low() | c.high()) & 0xE0E0_E0E0_E0E0_E0E0L) == 0 ? null
        : "shuffle indexes " + Printer.vectorText(c) + " are not all below 32";
  }

  private void checkBlockCall(int b, int i, int blockCall, int entry) {
    int target = dfg.blockCallBlock(blockCall);
    if (!layout.isBlockInserted(target)) {
      instError(b, i, "branch to block" + target + ", which is not in the layout");
      return;
    }
    if (target == entry) {
      instError(b, i, "branch to the entry block block" + entry);
      return;
    }
    int[] args = dfg.blockCallArgs(blockCall);
    int params = dfg.blockParamCount(target);
    if (args.length != params) {
      instError(b, i, "block" + target + " takes " + params + " argument(s), " + args.length
          + " passed");
      return;
    }
    for (int a = 0; a < args.length; a++) {
      int v = dfg.resolveAliases(args[a]);
      if (!dfg.isValueDefined(v)) {
        instError(b, i, "argument " + a + " to block" + target + " (v" + args[a]
            + ") is not a defined value");
        continue;
      }
      Type want = dfg.valueType(dfg.blockParam(target, a));
      if (dfg.valueType(v) != want) {
        instError(b, i, "argument " + a + " to block" + target + " (v" + args[a] + ") is "
            + dfg.valueType(v) + ", the parameter is " + want);
      }
    }
  }

  // ------------------------------------------------------------------ dominance

  private void checkDominance() {
    ControlFlowGraph cfg = ControlFlowGraph.compute(f);
    DominatorTree domTree = DominatorTree.compute(f, cfg);
    int[] position = new int[dfg.instCount()];
    for (int b = layout.firstBlock(); b >= 0; b = layout.nextBlock(b)) {
      int n = 0;
      for (int i = layout.firstInst(b); i >= 0; i = layout.nextInst(i)) {
        position[i] = n++;
      }
    }
    for (int b = layout.firstBlock(); b >= 0; b = layout.nextBlock(b)) {
      for (int i = layout.firstInst(b); i >= 0; i = layout.nextInst(i)) {
        for (int v : dfg.args(i)) {
          checkUse(b, i, v, domTree, position);
        }
        for (int d = 0; d < dfg.destCount(i); d++) {
          for (int v : dfg.blockCallArgs(dfg.dest(i, d))) {
            checkUse(b, i, v, domTree, position);
          }
        }
      }
    }
  }

  private void checkUse(int b, int i, int used, DominatorTree domTree, int[] position) {
    int v = dfg.resolveAliases(used);
    boolean reachable = domTree.isReachable(b);
    if (dfg.valueKind(v) == DataFlowGraph.VALUE_PARAM) {
      int defBlock = dfg.valueDef(v);
      if (!layout.isBlockInserted(defBlock)) {
        instError(b, i, "v" + used + " is a parameter of block" + defBlock
            + ", which is not in the layout");
      } else if (reachable && !domTree.dominates(defBlock, b)) {
        instError(b, i, "use of v" + used + " is not dominated by its definition in block"
            + defBlock);
      }
      return;
    }
    int defInst = dfg.valueDef(v);
    int defBlock = layout.instBlock(defInst);
    if (defBlock < 0) {
      instError(b, i, "v" + used + " is defined by an instruction that is not in the layout");
    } else if (defBlock == b) {
      if (position[defInst] >= position[i]) {
        instError(b, i, "v" + used + " is used before its definition in the same block");
      }
    } else if (reachable && !domTree.dominates(defBlock, b)) {
      instError(b, i, "use of v" + used + " is not dominated by its definition in block"
          + defBlock);
    }
  }

  // ------------------------------------------------------------------ messages

  private void blockError(int b, String message) {
    errors.add(new VerifierError(b, -1, "block" + b + ": " + message));
  }

  private void instError(int b, int i, String message) {
    errors.add(new VerifierError(b, i, "block" + b + ", " + describe(i) + ": " + message));
  }

  /** The instruction's text, or its id and opcode when it is too broken to print. */
  private String describe(int i) {
    try {
      return "`" + Printer.printInst(f, i) + "`";
    } catch (RuntimeException malformed) {
      return "inst" + i + " (" + dfg.opcode(i).text() + ")";
    }
  }

  private static String types(List<Type> types) {
    return types.toString();
  }
}
