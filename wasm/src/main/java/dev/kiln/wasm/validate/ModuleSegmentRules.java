package dev.kiln.wasm.validate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.module.ConstExpr;
import dev.kiln.wasm.module.DataSegment;
import dev.kiln.wasm.module.ElementSegment;
import dev.kiln.wasm.module.Global;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.SegmentMode;
import dev.kiln.wasm.types.TableType;
import java.util.List;

/**
 * Rules whose subject is a constant expression (spec 3.4.5-3.4.7): global initialisers have their
 * global's type, element segments put items of their type into a table of that type at an offset
 * of the table's address type, data segments name an existing memory and an offset of its address
 * type. The expressions themselves go through {@link ConstExprValidator}.
 */
final class ModuleSegmentRules {
  private ModuleSegmentRules() {}

  static void check(Module module, ValidationContext context) {
    List<Global> globals = module.globals();
    for (int i = 0; i < globals.size(); i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      Global g = globals.get(i);
      ConstExprValidator.validateGlobalInit(g.init(), g.type().type(), context, i);
    }
    // spec 3.0 3.4.x "tables": the initialiser is a constant expression of the element type
    for (var init : new java.util.TreeMap<>(module.tableInitialisers()).entrySet()) {
      CompileDeadline.pollCounted(Phase.DECODE, init.getKey());
      ConstExprValidator.validateTableInit(init.getValue(), module.tables().get(init.getKey()).reference(), context);
    }
    long elementsChecked = 0;
    for (ElementSegment e : module.elements()) {
      CompileDeadline.pollCounted(Phase.DECODE, elementsChecked++);
      element(e, context);
    }
    long dataChecked = 0;
    for (DataSegment d : module.data()) {
      CompileDeadline.pollCounted(Phase.DECODE, dataChecked++);
      data(d, context);
    }
  }

  private static void element(ElementSegment e, ValidationContext context) {
    if (e.mode() instanceof SegmentMode.Active active) {
      int index = active.index();
      if (Integer.compareUnsigned(index, context.tables().size()) >= 0) {
        throw new InvalidException("unknown table " + Integer.toUnsignedString(index), e.offset());
      }
      TableType table = context.tables().get(index);
      ConstExprValidator.validate(active.offset(), table.addressType(), context);
      // spec 3.4.7 (3.0): the segment's type matches the table's element type
      if (!e.reference().equals(table.reference()) && !context.matcher().matches(e.reference(), table.reference())) {
        throw new InvalidException("type mismatch", e.offset());
      }
    }
    // One segment may hold as many items as the file has bytes: they are polled too.
    long item = 0;
    switch (e.items()) {
      case ElementSegment.FunctionIndices f -> {
        for (int index : f.indices()) {
          CompileDeadline.pollCounted(Phase.DECODE, item++);
          if (Integer.compareUnsigned(index, context.functionCount()) >= 0) {
            throw new InvalidException("unknown function " + Integer.toUnsignedString(index), e.offset());
          }
        }
      }
      case ElementSegment.Expressions x -> {
        for (ConstExpr expr : x.exprs()) {
          CompileDeadline.pollCounted(Phase.DECODE, item++);
          ConstExprValidator.validate(expr, e.reference(), context);
        }
      }
    }
  }

  private static void data(DataSegment d, ValidationContext context) {
    if (d.mode() instanceof SegmentMode.Active active) {
      int index = active.index();
      if (Integer.compareUnsigned(index, context.memories().size()) >= 0) {
        throw new InvalidException("unknown memory " + Integer.toUnsignedString(index), d.offset());
      }
      ConstExprValidator.validate(active.offset(), context.memories().get(index).addressType(), context);
    }
  }
}
