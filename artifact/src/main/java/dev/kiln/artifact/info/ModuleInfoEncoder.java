package dev.kiln.artifact.info;

import dev.kiln.artifact.internal.ByteSink;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes {@link ModuleInfo} as the bytes of {@code .kiln.info}: a header, then each part as a u32
 * count followed by fixed-width little-endian records (docs/cwasm-format.md section 8). The info was
 * checked when it was constructed, so encoding cannot fail.
 */
public final class ModuleInfoEncoder {
  private final ByteSink out = new ByteSink();
  private long records;

  private ModuleInfoEncoder() {}

  public static byte[] encode(ModuleInfo info) {
    return new ModuleInfoEncoder().write(info);
  }

  private byte[] write(ModuleInfo info) {
    out.u32(InfoFormat.MAGIC).u16(InfoFormat.VERSION).u16(info.tags().isEmpty() ? 0 : InfoFormat.FLAG_TAGS);
    out.u32(info.types().size());
    for (dev.kiln.artifact.info.FuncType t : info.types()) {
      nextRecord();
      out.u16(t.params().size()).u16(t.results().size());
      t.params().forEach(v -> out.u8(v.code()));
      t.results().forEach(v -> out.u8(v.code()));
    }
    out.u32(info.imports().size());
    for (Import i : info.imports()) {
      nextRecord();
      string(i.module());
      string(i.name());
      out.u8(i.desc().kind().code());
      switch (i.desc()) {
        case ImportDesc.Function f -> out.u32(f.typeIndex());
        case ImportDesc.Table t -> table(t.type());
        case ImportDesc.Memory m -> memory(m.type());
        case ImportDesc.Global g -> globalType(g.type());
        case ImportDesc.Tag t -> out.u32(t.typeIndex());
      }
    }
    out.u32(info.functionTypes().size());
    info.functionTypes().forEach(out::u32);
    out.u32(info.tables().size());
    info.tables().forEach(this::table);
    out.u32(info.memories().size());
    info.memories().forEach(this::memory);
    out.u32(info.globals().size());
    for (Global g : info.globals()) {
      nextRecord();
      globalType(g.type());
      expr(g.init());
    }
    if (!info.tags().isEmpty()) {
      out.u32(info.tags().size());
      info.tags().forEach(out::u32);
    }
    out.u32(info.exports().size());
    for (Export e : info.exports()) {
      nextRecord();
      string(e.name());
      out.u8(e.kind().code()).u32(e.index());
    }
    out.u32(info.start().orElse(InfoFormat.NO_START));
    out.u32(info.elements().size());
    for (ElementSegment seg : info.elements()) {
      nextRecord();
      out.u8(seg.mode().code());
      activeTarget(seg.tableIndex(), seg.offset());
      out.u8(seg.elementType().code());
      switch (seg.items()) {
        case ElementItems.Functions fs -> {
          out.u8(InfoFormat.ITEMS_FUNCTIONS).u32(fs.size());
          // one segment may hold as many items as the module had bytes: each counts as a record
          for (int k = 0; k < fs.size(); k++) {
            nextRecord();
            out.u32(fs.function(k));
          }
        }
        case ElementItems.Expressions es -> {
          out.u8(InfoFormat.ITEMS_EXPRESSIONS).u32(es.size());
          for (ConstExpr item : es.exprs()) {
            nextRecord();
            expr(item);
          }
        }
      }
    }
    out.u32(info.data().size());
    for (DataSegment seg : info.data()) {
      nextRecord();
      out.u8(seg.mode().code());
      activeTarget(seg.memoryIndex(), seg.offset());
      out.u32((int) seg.dataOffset()).u32((int) seg.length());
    }
    out.u32(info.escaping().size());
    info.escaping().forEach(out::u32);
    out.u32(info.functionNames().size());
    for (Map.Entry<Integer, String> name : info.functionNames().entrySet()) {
      nextRecord();
      out.u32(name.getKey());
      string(name.getValue());
    }
    if (!info.onlyWasm2()) {
      preciseTypes(info.precise());
      out.u32(info.tableInitialisers().size());
      for (Map.Entry<Integer, ConstExpr> init : info.tableInitialisers().entrySet()) {
        nextRecord();
        out.u32(init.getKey());
        expr(init.getValue());
      }
    }
    return out.toByteArray();
  }

  /** The optional last part's types: {@link PreciseTypes}, for a module with WebAssembly 3.0 types. */
  private void preciseTypes(PreciseTypes precise) {
    out.u32(precise.section().groups().size());
    for (List<SubType> group : precise.section().groups()) {
      out.u32(group.size());
      for (SubType t : group) {
        nextRecord();
        out.u8(t.isFinal() ? 1 : 0).u32(t.supertypes().size());
        t.supertypes().forEach(s -> out.u32(((HeapType.Concrete) s).typeIndex()));
        switch (t.composite()) {
          case FuncType f -> {
            out.u8(InfoFormat.COMPOSITE_FUNC).u32(f.paramTypes().size()).u32(f.resultTypes().size());
            f.paramTypes().forEach(this::preciseValue);
            f.resultTypes().forEach(this::preciseValue);
          }
          case dev.kiln.wasm.types.StructType s -> {
            out.u8(InfoFormat.COMPOSITE_STRUCT).u32(s.fields().size());
            s.fields().forEach(this::preciseField);
          }
          case dev.kiln.wasm.types.ArrayType a -> {
            out.u8(InfoFormat.COMPOSITE_ARRAY);
            preciseField(a.element());
          }
        }
      }
    }
    out.u32(precise.tables().size());
    precise.tables().forEach(this::preciseValue);
    out.u32(precise.globals().size());
    precise.globals().forEach(this::preciseValue);
    out.u32(precise.elements().size());
    precise.elements().forEach(this::preciseValue);
  }

  private void preciseField(dev.kiln.wasm.types.FieldType field) {
    if (field.storage() instanceof dev.kiln.wasm.types.PackedType p) {
      nextRecord();
      out.u8(p.code());
    } else {
      preciseValue((ValueType) field.storage());
    }
    out.u8(field.mutable() ? 1 : 0);
  }

  private void preciseValue(ValueType type) {
    nextRecord();
    if (!(type instanceof RefType r)) {
      out.u8(type.kind().code());
      return;
    }
    out.u8(r.nullable() ? InfoFormat.REF_NULLABLE : InfoFormat.REF);
    switch (r.heap()) {
      case HeapType.Abstract a -> out.u8(InfoFormat.HEAP_ABSTRACT).u32(a.code());
      case HeapType.Concrete c -> out.u8(InfoFormat.HEAP_TYPE_INDEX).u32(c.typeIndex());
      default -> throw new IllegalStateException("a module's heap type is abstract or a type index: " + r);
    }
  }

  /**
   * Polls the compile's deadline once every {@link CompileDeadline#POLL_INTERVAL} records (a type,
   * an import, a global, a segment...): their number is the module's to choose.
   */
  private void nextRecord() {
    CompileDeadline.pollCounted(Phase.ASSEMBLY, records++);
  }

  private void activeTarget(int index, Optional<ConstExpr> offset) {
    if (offset.isPresent()) {
      out.u32(index);
      expr(offset.get());
    }
  }

  private void string(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.u32(bytes.length).bytes(bytes);
  }

  private void limits(Limits limits, int flags) {
    out.u8(flags | (limits.max().isPresent() ? InfoFormat.HAS_MAX : 0)).u64(limits.min());
    limits.max().ifPresent(out::u64);
  }

  private void table(TableType t) {
    out.u8(t.elementType().code());
    limits(t.limits(), t.is64() ? InfoFormat.IS_64 : 0);
  }

  private void memory(MemoryType m) {
    limits(m.limits(), (m.is64() ? InfoFormat.IS_64 : 0) | (m.shared() ? InfoFormat.SHARED : 0));
  }

  private void globalType(GlobalType g) {
    out.u8(g.type().code()).u8(g.mutable() ? 1 : 0);
  }

  private void expr(ConstExpr expr) {
    out.u32(expr.instructions().size());
    for (ConstInstr instr : expr.instructions()) {
      out.u8(instr.opcode());
      switch (instr) {
        case ConstInstr.I32Const c -> out.u32(c.value());
        case ConstInstr.I64Const c -> out.u64(c.value());
        case ConstInstr.F32Const c -> out.u32(c.bits());
        case ConstInstr.F64Const c -> out.u64(c.bits());
        case ConstInstr.V128Const c -> out.u64(c.low()).u64(c.high());
        case ConstInstr.GlobalGet g -> out.u32(g.globalIndex());
        case ConstInstr.RefNull r -> out.u8(r.type().code());
        case ConstInstr.RefFunc r -> out.u32(r.functionIndex());
        case ConstInstr.RefI31 r -> out.u8(ConstInstr.RefI31.SUB_OPCODE);
        case ConstInstr.GcNew g -> out.u8(g.subOpcode()).u32(g.typeIndex()).u32(g.operands());
        case ConstInstr.Binary b -> { }
      }
    }
  }
}
