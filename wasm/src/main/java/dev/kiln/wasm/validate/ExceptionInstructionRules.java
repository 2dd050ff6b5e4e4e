package dev.kiln.wasm.validate;

import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import java.util.Arrays;

/**
 * The typing rules of the exception-handling instructions (WebAssembly 3.0 spec 3.3.8: throw,
 * throw_ref, try_table; the legacy proposal's try, catch, catch_all, delegate and rethrow), on the
 * stacks of the {@link FunctionValidator} that validates the body.
 */
final class ExceptionInstructionRules {
  private final FunctionValidator v;

  ExceptionInstructionRules(FunctionValidator v) {
    this.v = v;
  }

  /** Types {@code op}, one of this family's instructions, whose immediates {@code r} holds. */
  void validate(Opcode op, InstructionReader r) {
    switch (op) {
      case THROW -> {
        v.popValues(v.typeParams[v.tag(r.index())]);
        v.setUnreachable();
      }
      case THROW_REF -> {
        v.popExpect(v.exnRef);
        v.setUnreachable();
      }
      case TRY_TABLE -> tryTable(r);
      case TRY -> {
        int[] params = v.blockParams(r);
        int[] results = v.blockResults(r);
        v.popValues(params);
        v.pushFrame(FunctionValidator.TRY, params, results);
      }
      case CATCH, CATCH_ALL -> {
        int kind = v.frameKind[v.frameCount - 1];
        if (kind != FunctionValidator.TRY && kind != FunctionValidator.CATCH) {
          // only a try and its catch clauses may be followed by a catch (legacy binary grammar)
          throw new MalformedException("END opcode expected", v.at, v.functionIndex);
        }
        int[] results = v.frameResults[v.frameCount - 1];
        int[] payload = op == Opcode.CATCH ? v.typeParams[v.tag(r.index())] : FunctionValidator.NONE;
        v.popFrame();
        v.pushFrame(op == Opcode.CATCH ? FunctionValidator.CATCH : FunctionValidator.CATCH_ALL, payload, results);
      }
      case DELEGATE -> {
        if (v.frameKind[v.frameCount - 1] != FunctionValidator.TRY) {
          throw new MalformedException("END opcode expected", v.at, v.functionIndex);
        }
        int[] results = v.frameResults[v.frameCount - 1];
        v.popFrame();
        // the label is counted from outside the try it ends (legacy proposal: delegate l)
        v.label(r.index());
        v.pushValues(results);
      }
      case RETHROW -> {
        int frame = v.label(r.index());
        if (v.frameKind[frame] != FunctionValidator.CATCH && v.frameKind[frame] != FunctionValidator.CATCH_ALL) {
          throw v.invalid("invalid rethrow label");
        }
        v.setUnreachable();
      }
      default -> throw new IllegalStateException("no typing rule for " + op.name());
    }
  }

  /**
   * try_table (WebAssembly 3.0 spec 3.3.8): each catch clause's label, counted outside the
   * try_table, must accept what the clause delivers: the tag's payload (catch), the payload and a
   * non-null exnref (catch_ref), nothing (catch_all), or the exnref alone (catch_all_ref).
   */
  private void tryTable(InstructionReader r) {
    int[] params = v.blockParams(r);
    int[] results = v.blockResults(r);
    for (int i = 0, n = r.catchCount(); i < n; i++) {
      int kind = r.catchKind(i);
      int[] delivered = switch (kind) {
        case InstructionReader.CATCH -> v.typeParams[v.tag(r.catchTag(i))];
        case InstructionReader.CATCH_REF -> append(v.typeParams[v.tag(r.catchTag(i))], v.exnRefNonNull);
        case InstructionReader.CATCH_ALL -> FunctionValidator.NONE;
        default -> new int[] {v.exnRefNonNull};
      };
      int[] accepted = v.labelTypes(v.label(r.catchLabel(i)));
      if (delivered.length != accepted.length) {
        throw v.invalid("type mismatch");
      }
      for (int k = 0; k < delivered.length; k++) {
        if (!v.matches(delivered[k], accepted[k])) {
          throw v.invalid("type mismatch");
        }
      }
    }
    v.popValues(params);
    v.pushFrame(FunctionValidator.BLOCK, params, results);
  }

  private static int[] append(int[] values, int last) {
    int[] out = Arrays.copyOf(values, values.length + 1);
    out[values.length] = last;
    return out;
  }
}
