package dev.kiln.compiler.translate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.ConstExpr;
import dev.kiln.wasm.module.ElementSegment;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.module.Global;
import dev.kiln.wasm.module.Module;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The functions of a module that escape: exported, named by an element segment (active, passive
 * or declarative), or taken by {@code ref.func} in a global's initialiser. Function bodies need no
 * scan: a {@code ref.func} in code must name a function in C.refs, which is exactly the functions
 * referenced outside code, in exports, element segments and globals (spec 3.4.10, "the set C.refs"). Each gets a VMFuncRef in the VMContext (and,
 * when defined, an array-to-wasm trampoline); the rest are reached only by direct calls.
 * Escape index {@code k} is the {@code k}-th escaping function in function-index order, which is
 * the VMFuncRef slot {@link dev.kiln.artifact.vm.VmLayout#funcRef(int)} takes.
 */
public final class EscapingFunctions {
  private final int[] functions;

  private EscapingFunctions(int[] functions) {
    this.functions = functions;
  }

  /** Collects the escaping functions of a decoded module. */
  public static EscapingFunctions of(Module module) {
    BitSet escapes = new BitSet();
    // Part of the compile's module-level work: every entry and every segment item, whose numbers
    // the module chooses (one segment may hold as many items as the file has bytes), is polled.
    long read = 0;
    for (Export e : module.exports()) {
      CompileDeadline.pollCounted(Phase.FUNCTIONS, read++);
      if (e.kind() == ExternKind.FUNC) {
        escapes.set(e.index());
      }
    }
    for (ElementSegment segment : module.elements()) {
      switch (segment.items()) {
        case ElementSegment.FunctionIndices f -> {
          for (int k = 0; k < f.size(); k++) {
            CompileDeadline.pollCounted(Phase.FUNCTIONS, read++);
            escapes.set(f.function(k));
          }
        }
        case ElementSegment.Expressions x -> {
          for (ConstExpr item : x.exprs()) {
            CompileDeadline.pollCounted(Phase.FUNCTIONS, read++);
            scan(item, escapes);
          }
        }
      }
    }
    for (Global g : module.globals()) {
      CompileDeadline.pollCounted(Phase.FUNCTIONS, read++);
      scan(g.init(), escapes);
    }
    for (var init : module.tableInitialisers().values()) {
      CompileDeadline.pollCounted(Phase.FUNCTIONS, read++);
      scan(init, escapes);
    }
    return new EscapingFunctions(escapes.stream().toArray());
  }

  private static void scan(ConstExpr expr, BitSet escapes) {
    InstructionReader reader = new InstructionReader(expr.source(), expr.start(), expr.end());
    while (reader.hasNext()) {
      if (reader.next() == Opcode.REF_FUNC) {
        escapes.set(reader.index());
      }
    }
  }

  public int count() {
    return functions.length;
  }

  /** The escape index (VMFuncRef slot) of function {@code funcIndex}, or -1 if it does not escape. */
  public int escapeIndex(int funcIndex) {
    int at = Arrays.binarySearch(functions, funcIndex);
    return at < 0 ? -1 : at;
  }

  /** The function index of escape index {@code k}. */
  public int function(int k) {
    return functions[k];
  }
}
