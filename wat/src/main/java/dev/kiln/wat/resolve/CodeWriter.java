package dev.kiln.wat.resolve;

import dev.kiln.wat.Edition;
import dev.kiln.wat.WatSyntaxException;
import dev.kiln.wat.ast.Imm;
import dev.kiln.wat.ast.Instr;
import dev.kiln.wat.ast.Ref;
import dev.kiln.wat.ast.TypeUse;
import dev.kiln.wat.ast.ValType;
import dev.kiln.wat.binary.Instruction;
import dev.kiln.wat.binary.TypeCodes;
import dev.kiln.wat.binary.WasmWriter;
import dev.kiln.wat.lex.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one function body or constant expression (spec 5.4): resolves each immediate in its
 * context (labels by block nesting, locals in the function, the rest in the module's {@link Scope})
 * and writes the opcode and immediates.
 */
final class CodeWriter {
  private final Scope scope;
  private final IndexSpace locals;
  private final String fileName;
  /** Labels of the enclosing blocks, innermost last; null for a block without one. */
  private final List<String> labels = new ArrayList<>();
  /**
   * For each label name, the positions in {@link #labels} that bind it, innermost first: a branch
   * finds its target without scanning the enclosing blocks, so deep nesting stays linear.
   */
  private final Map<String, ArrayDeque<Integer>> labelPositions = new HashMap<>();
  private boolean usesDataIndex;

  CodeWriter(Scope scope, IndexSpace locals, String fileName) {
    this.scope = scope;
    this.locals = locals;
    this.fileName = fileName;
  }

  /** Whether an instruction named a data segment (the module then needs a data count section). */
  boolean usesDataIndex() {
    return usesDataIndex;
  }

  /** Writes {@code code} followed by the closing {@code end}. */
  void expression(WasmWriter w, List<Instr> code) {
    for (int i = 0; i < code.size(); i++) {
      Instr instr = code.get(i);
      if (instr.op().name().equals("else") && i + 1 < code.size() && code.get(i + 1).op().name().equals("end")) {
        // An empty else branch is left out, as wabt does: the if means the same without it.
        continue;
      }
      instruction(w, instr);
    }
    w.u8(0x0B);
  }

  private void instruction(WasmWriter w, Instr instr) {
    Instruction op = instr.op();
    List<Imm> imms = instr.immediates();
    switch (op.shape()) {
      case NONE -> {
        w.opcode(op);
        if (op.name().equals("end")) {
          popLabel();
        }
      }
      case BLOCK -> {
        w.opcode(op);
        Imm.Block block = (Imm.Block) imms.getFirst();
        blockType(w, block.type());
        pushLabel(block.label());
      }
      case TRY_TABLE -> {
        w.opcode(op);
        Imm.Block block = (Imm.Block) imms.getFirst();
        blockType(w, block.type());
        // Catch clauses branch to labels outside the try_table (spec 3.3.8): resolve before pushing.
        w.u32(imms.size() - 1);
        for (Imm imm : imms.subList(1, imms.size())) {
          Imm.Catch c = (Imm.Catch) imm;
          w.u8(c.kind());
          if (c.tag() != null) {
            w.u32(scope.tags().resolve(c.tag()));
          }
          w.u32(label(c.label()));
        }
        pushLabel(block.label());
      }
      case LABEL -> {
        w.opcode(op);
        if (op.name().equals("delegate")) {
          // delegate ends its try block; its label counts from outside it.
          popLabel();
        }
        w.u32(label(ref(imms, 0)));
      }
      case BR_TABLE -> {
        w.opcode(op);
        w.u32(imms.size() - 1);
        for (Imm imm : imms) {
          w.u32(label(((Imm.Index) imm).ref()));
        }
      }
      case FUNC -> w.opcode(op).u32(scope.funcs().resolve(ref(imms, 0)));
      case CALL_INDIRECT -> {
        long table = scope.tables().resolve(ref(imms, 0));
        w.opcode(op).u32(scope.types().use(((Imm.Block) imms.get(1)).type())).u32(table);
      }
      case LOCAL -> w.opcode(op).u32(locals.resolve(ref(imms, 0)));
      case GLOBAL -> w.opcode(op).u32(scope.globals().resolve(ref(imms, 0)));
      case TABLE -> w.opcode(op).u32(scope.tables().resolve(ref(imms, 0)));
      case TABLE_COPY -> w.opcode(op).u32(scope.tables().resolve(ref(imms, 0))).u32(scope.tables().resolve(ref(imms, 1)));
      case TABLE_INIT -> w.opcode(op).u32(scope.elems().resolve(ref(imms, 1))).u32(scope.tables().resolve(ref(imms, 0)));
      case ELEM -> w.opcode(op).u32(scope.elems().resolve(ref(imms, 0)));
      case MEMARG -> memarg(w.opcode(op), (Imm.Memarg) imms.getFirst(), instr.at());
      case MEMARG_LANE -> memarg(w.opcode(op), (Imm.Memarg) imms.getFirst(), instr.at())
          .u8((int) ((Imm.Int) imms.get(1)).value());
      case MEMORY -> w.opcode(op).u32(scope.memories().resolve(ref(imms, 0)));
      case MEMORY_COPY -> w.opcode(op).u32(scope.memories().resolve(ref(imms, 0)))
          .u32(scope.memories().resolve(ref(imms, 1)));
      case MEMORY_INIT -> {
        usesDataIndex = true;
        w.opcode(op).u32(scope.datas().resolve(ref(imms, 1))).u32(scope.memories().resolve(ref(imms, 0)));
      }
      case DATA -> {
        usesDataIndex = true;
        w.opcode(op).u32(scope.datas().resolve(ref(imms, 0)));
      }
      case I32 -> w.opcode(op).s32((int) number(imms));
      case I64 -> w.opcode(op).s64(number(imms));
      case F32 -> w.opcode(op).f32((int) number(imms));
      case F64 -> w.opcode(op).f64(number(imms));
      case V128, SHUFFLE -> w.opcode(op).bytes(((Imm.Bytes) imms.getFirst()).value());
      case LANE -> w.opcode(op).u8((int) number(imms));
      case HEAP_TYPE -> scope.types().heapType(w.opcode(op), ((Imm.Heap) imms.getFirst()).heap());
      case SELECT -> {
        if (imms.isEmpty()) {
          w.opcode(op);
        } else {
          List<ValType> types = ((Imm.Types) imms.getFirst()).types();
          w.opcode(op, 0x1C).u32(types.size());
          types.forEach(t -> scope.types().valType(w, t));
        }
      }
      case TYPE -> w.opcode(op).u32(scope.types().resolve(ref(imms, 0)));
      case TYPE_FIELD -> {
        long type = scope.types().resolve(ref(imms, 0));
        w.opcode(op).u32(type).u32(scope.types().field(type, ref(imms, 1)));
      }
      case TYPE_COUNT -> w.opcode(op).u32(scope.types().resolve(ref(imms, 0))).u32(((Imm.Int) imms.get(1)).value());
      case TYPE_TYPE -> w.opcode(op).u32(scope.types().resolve(ref(imms, 0))).u32(scope.types().resolve(ref(imms, 1)));
      case TYPE_DATA -> {
        usesDataIndex = true;
        w.opcode(op).u32(scope.types().resolve(ref(imms, 0))).u32(scope.datas().resolve(ref(imms, 1)));
      }
      case TYPE_ELEM -> w.opcode(op).u32(scope.types().resolve(ref(imms, 0))).u32(scope.elems().resolve(ref(imms, 1)));
      case REF_TEST -> {
        ValType.Reference type = ((Imm.RefType) imms.getFirst()).type();
        w.opcode(op, op.code() + (type.nullable() ? 1 : 0));
        scope.types().heapType(w, type.heap());
      }
      case BR_ON_CAST -> {
        ValType.Reference from = ((Imm.RefType) imms.get(1)).type();
        ValType.Reference to = ((Imm.RefType) imms.get(2)).type();
        w.opcode(op).u8((from.nullable() ? 1 : 0) | (to.nullable() ? 2 : 0));
        w.u32(label(ref(imms, 0)));
        scope.types().heapType(w, from.heap());
        scope.types().heapType(w, to.heap());
      }
      case TAG -> w.opcode(op).u32(scope.tags().resolve(ref(imms, 0)));
    }
  }

  /** The block type (spec 5.4.1): empty, one value type, or a type index as s33. */
  private void blockType(WasmWriter w, TypeUse type) {
    List<ValType> results = scope.types().inlineBlockResults(type);
    if (results == null) {
      w.s64(scope.types().use(type));
    } else if (results.isEmpty()) {
      w.u8(TypeCodes.EMPTY_BLOCK);
    } else {
      scope.types().valType(w, results.getFirst());
    }
  }

  /** Alignment flags with bit 6 when a memory index follows (multi-memory), the index, the offset. */
  private WasmWriter memarg(WasmWriter w, Imm.Memarg m, Token at) {
    long memory = scope.memories().resolve(m.memory());
    boolean memory64 = memory < scope.memory64().size() && scope.memory64().get((int) memory);
    if (scope.edition() == Edition.WASM_2 && !memory64 && Long.compareUnsigned(m.offset(), 0xFFFF_FFFFL) > 0) {
      // 2.0 (spec 6.5.5): the offset of a 32-bit memory's access is a u32.
      throw new WatSyntaxException(fileName, at.line(), at.column(),
          "expected an offset below 2^32 for a 32-bit memory, found " + Long.toUnsignedString(m.offset()));
    }
    if (memory == 0) {
      return w.u32(m.alignLog2()).u64(m.offset());
    }
    return w.u32(m.alignLog2() | 0x40).u32(memory).u64(m.offset());
  }

  /** A label's depth: a number as written, or how many blocks lie between the use and the label. */
  private long label(Ref ref) {
    if (ref instanceof Ref.Name n) {
      ArrayDeque<Integer> positions = labelPositions.get(n.name());
      if (positions == null || positions.isEmpty()) {
        throw new WatSyntaxException(fileName, n.at().line(), n.at().column(),
            "expected a known label, found unknown label $" + n.name());
      }
      return labels.size() - 1 - positions.peek();
    }
    return ((Ref.Num) ref).index();
  }

  private void pushLabel(String name) {
    labels.add(name);
    if (name != null) {
      labelPositions.computeIfAbsent(name, k -> new ArrayDeque<>()).push(labels.size() - 1);
    }
  }

  private void popLabel() {
    if (labels.isEmpty()) {
      return;
    }
    String name = labels.removeLast();
    if (name != null) {
      labelPositions.get(name).pop();
    }
  }

  private static Ref ref(List<Imm> imms, int i) {
    return ((Imm.Index) imms.get(i)).ref();
  }

  private static long number(List<Imm> imms) {
    return ((Imm.Int) imms.getFirst()).value();
  }
}
