package dev.kiln.compiler.driver;

import dev.kiln.artifact.info.ConstExpr;
import dev.kiln.artifact.info.ConstInstr;
import dev.kiln.artifact.info.DataSegment;
import dev.kiln.artifact.info.ElementItems;
import dev.kiln.artifact.info.ElementSegment;
import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.ExternKind;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.Global;
import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.Import;
import dev.kiln.artifact.info.ImportDesc;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.ModuleInfoEncoder;
import dev.kiln.artifact.info.PreciseTypes;
import dev.kiln.artifact.info.SegmentMode;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.compiler.translate.EscapingFunctions;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Module info ({@code .kiln.info}, encoded by {@code artifact.info.ModuleInfoEncoder}) for a decoded
 * module: the wasm module's records translated one for one into the artifact's, constant expressions
 * decoded from their bytes into instruction lists, and data segments pointing at their bytes in
 * {@code .kiln.data} as {@link ArtifactEmitter#dataBytes} lays them out.
 */
final class ModuleInfoEncoding {
  private ModuleInfoEncoding() {}

  static byte[] encode(Module module, EscapingFunctions escaping) {
    return ModuleInfoEncoder.encode(of(module, escaping));
  }

  static ModuleInfo of(Module m, EscapingFunctions escaping) {
    // A struct or array type (null in Module.types()) has no signature; the artifact's type list
    // stays indexed by type index, so it holds the empty signature there, which nothing reads as a
    // function's: validation proves that every signature lookup names a function type.
    List<FuncType> types = m.types().stream()
        .map(t -> t == null ? new FuncType(List.of(), List.of())
            : new FuncType(t.params().stream().map(ModuleInfoEncoding::valType).toList(),
                t.results().stream().map(ModuleInfoEncoding::valType).toList()))
        .toList();
    List<Import> imports = m.imports().stream()
        .map(i -> new Import(i.module(), i.name(), switch (i.desc()) {
          case dev.kiln.wasm.module.ImportDesc.Func f -> new ImportDesc.Function(f.typeIndex());
          case dev.kiln.wasm.module.ImportDesc.Table t -> new ImportDesc.Table(tableType(t.type()));
          case dev.kiln.wasm.module.ImportDesc.Memory mem -> new ImportDesc.Memory(memoryType(mem.type()));
          case dev.kiln.wasm.module.ImportDesc.Global g -> new ImportDesc.Global(globalType(g.type()));
          case dev.kiln.wasm.module.ImportDesc.Tag t -> new ImportDesc.Tag(t.typeIndex());
        }))
        .toList();
    List<Global> globals = m.globals().stream()
        .map(g -> new Global(globalType(g.type()), constExpr(g.init(), m)))
        .toList();
    List<Export> exports = m.exports().stream()
        .map(e -> new Export(e.name(), externKind(e.kind()), e.index()))
        .toList();
    List<ElementSegment> elements = new ArrayList<>();
    for (dev.kiln.wasm.module.ElementSegment e : m.elements()) {
      ElementItems items = switch (e.items()) {
        case dev.kiln.wasm.module.ElementSegment.FunctionIndices f -> new ElementItems.Functions(f.indices());
        case dev.kiln.wasm.module.ElementSegment.Expressions x ->
            new ElementItems.Expressions(x.exprs().stream().map(x1 -> constExpr(x1, m)).toList());
      };
      elements.add(switch (e.mode()) {
        case dev.kiln.wasm.module.SegmentMode.Active a ->
            new ElementSegment(SegmentMode.ACTIVE, a.index(), Optional.of(constExpr(a.offset(), m)), valType(e.type()), items);
        case dev.kiln.wasm.module.SegmentMode.Passive _ ->
            new ElementSegment(SegmentMode.PASSIVE, 0, Optional.empty(), valType(e.type()), items);
        case dev.kiln.wasm.module.SegmentMode.Declarative _ ->
            new ElementSegment(SegmentMode.DECLARATIVE, 0, Optional.empty(), valType(e.type()), items);
      });
    }
    List<DataSegment> data = new ArrayList<>();
    long dataOffset = 0;
    for (dev.kiln.wasm.module.DataSegment d : m.data()) {
      data.add(switch (d.mode()) {
        case dev.kiln.wasm.module.SegmentMode.Active a -> DataSegment.active(a.index(), constExpr(a.offset(), m), dataOffset, d.length());
        case dev.kiln.wasm.module.SegmentMode.Passive _, dev.kiln.wasm.module.SegmentMode.Declarative _ ->
            DataSegment.passive(dataOffset, d.length());
      });
      dataOffset += d.length();
    }
    List<Integer> escapingFunctions = new ArrayList<>(escaping.count());
    for (int k = 0; k < escaping.count(); k++) {
      escapingFunctions.add(escaping.function(k));
    }
    int functionCount = m.importedFunctionCount() + m.functions().size();
    Map<Integer, String> names = new TreeMap<>();
    m.names().functionNames().forEach((index, name) -> {
      if (index >= 0 && index < functionCount) { // the name section is not validated (spec 7.4)
        names.put(index, name);
      }
    });
    List<dev.kiln.wasm.types.RefType> preciseTables = new ArrayList<>();
    List<dev.kiln.wasm.types.ValueType> preciseGlobals = new ArrayList<>();
    for (dev.kiln.wasm.module.Import i : m.imports()) {
      if (i.desc() instanceof dev.kiln.wasm.module.ImportDesc.Table t) {
        preciseTables.add(t.type().referenceType());
      } else if (i.desc() instanceof dev.kiln.wasm.module.ImportDesc.Global g) {
        preciseGlobals.add(g.type().type());
      }
    }
    m.tables().forEach(t -> preciseTables.add(t.referenceType()));
    m.globals().forEach(g -> preciseGlobals.add(g.type().type()));
    return new ModuleInfo(types, imports, m.functions(),
        m.tables().stream().map(ModuleInfoEncoding::tableType).toList(),
        m.memories().stream().map(ModuleInfoEncoding::memoryType).toList(),
        globals, exports, m.start(), elements, data, escapingFunctions, names, m.tags(),
        new PreciseTypes(m.typeSection(), preciseTables, preciseGlobals,
            m.elements().stream().map(e -> (dev.kiln.wasm.types.RefType) e.reference()).toList()),
        tableInitialisers(m));
  }

  private static Map<Integer, ConstExpr> tableInitialisers(Module m) {
    Map<Integer, ConstExpr> out = new TreeMap<>();
    m.tableInitialisers().forEach((table, init) -> out.put(table, constExpr(init, m)));
    return out;
  }

  private static ValType valType(dev.kiln.wasm.types.ValType t) {
    return switch (t) {
      case I32 -> ValType.I32;
      case I64 -> ValType.I64;
      case F32 -> ValType.F32;
      case F64 -> ValType.F64;
      case V128 -> ValType.V128;
      case FUNCREF -> ValType.FUNCREF;
      case EXTERNREF -> ValType.EXTERNREF;
    };
  }

  private static Limits limits(dev.kiln.wasm.types.Limits l) {
    return new Limits(l.min(), l.max());
  }

  private static TableType tableType(dev.kiln.wasm.types.TableType t) {
    return new TableType(valType(t.elementType()), limits(t.limits()), t.is64());
  }

  private static MemoryType memoryType(dev.kiln.wasm.types.MemoryType t) {
    return new MemoryType(limits(t.limits()), t.is64(), t.shared());
  }

  private static GlobalType globalType(dev.kiln.wasm.types.GlobalType t) {
    return new GlobalType(valType(t.valueType()), t.mutable());
  }

  private static ExternKind externKind(dev.kiln.wasm.module.ExternKind k) {
    return switch (k) {
      case FUNC -> ExternKind.FUNCTION;
      case TABLE -> ExternKind.TABLE;
      case MEMORY -> ExternKind.MEMORY;
      case GLOBAL -> ExternKind.GLOBAL;
      case TAG -> ExternKind.TAG;
    };
  }

  /** Decodes a validated constant expression (spec 3.3.10: constant instructions only) up to its {@code end}. */
  static ConstExpr constExpr(dev.kiln.wasm.module.ConstExpr expr, Module m) {
    InstructionReader reader = new InstructionReader(expr.source(), expr.start(), expr.end());
    List<ConstInstr> out = new ArrayList<>();
    while (reader.hasNext()) {
      Opcode op = reader.next();
      switch (op) {
        case END -> {
          return new ConstExpr(out);
        }
        case I32_CONST -> out.add(new ConstInstr.I32Const(reader.i32()));
        case I64_CONST -> out.add(new ConstInstr.I64Const(reader.i64()));
        case F32_CONST -> out.add(new ConstInstr.F32Const(reader.f32Bits()));
        case F64_CONST -> out.add(new ConstInstr.F64Const(reader.f64Bits()));
        case V128_CONST -> out.add(new ConstInstr.V128Const(reader.v128Low(), reader.v128High()));
        case GLOBAL_GET -> out.add(new ConstInstr.GlobalGet(reader.index()));
        case REF_NULL -> out.add(new ConstInstr.RefNull(valType(reader.refType())));
        case REF_FUNC -> out.add(new ConstInstr.RefFunc(reader.index()));
        case I32_ADD -> out.add(new ConstInstr.Binary(ConstInstr.Op.I32_ADD));
        case I32_SUB -> out.add(new ConstInstr.Binary(ConstInstr.Op.I32_SUB));
        case I32_MUL -> out.add(new ConstInstr.Binary(ConstInstr.Op.I32_MUL));
        case I64_ADD -> out.add(new ConstInstr.Binary(ConstInstr.Op.I64_ADD));
        case I64_SUB -> out.add(new ConstInstr.Binary(ConstInstr.Op.I64_SUB));
        case I64_MUL -> out.add(new ConstInstr.Binary(ConstInstr.Op.I64_MUL));
        case REF_I31 -> out.add(new ConstInstr.RefI31());
        // the allocating GC instructions (spec 3.0 3.3.10): the loader allocates in the store's heap
        case STRUCT_NEW -> out.add(new ConstInstr.GcNew(ConstInstr.GcNew.STRUCT_NEW, reader.index(),
            ((dev.kiln.wasm.types.StructType) m.typeSection().subTypes().get(reader.index()).composite()).fields().size()));
        case STRUCT_NEW_DEFAULT -> out.add(new ConstInstr.GcNew(ConstInstr.GcNew.STRUCT_NEW_DEFAULT, reader.index(), 0));
        case ARRAY_NEW -> out.add(new ConstInstr.GcNew(ConstInstr.GcNew.ARRAY_NEW, reader.index(), 2));
        case ARRAY_NEW_DEFAULT -> out.add(new ConstInstr.GcNew(ConstInstr.GcNew.ARRAY_NEW_DEFAULT, reader.index(), 1));
        case ARRAY_NEW_FIXED -> out.add(new ConstInstr.GcNew(ConstInstr.GcNew.ARRAY_NEW_FIXED, reader.index(),
            reader.secondIndex()));
        // the any and extern hierarchies share one word (dev.kiln.artifact.gc): nothing to do
        case ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> { }
        default -> throw new UnsupportedInitialiserException(op.mnemonic(), reader.instructionStart());
      }
    }
    return new ConstExpr(out);
  }
}
