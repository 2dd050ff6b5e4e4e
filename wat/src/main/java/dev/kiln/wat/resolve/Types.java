package dev.kiln.wat.resolve;

import dev.kiln.wat.WatSyntaxException;
import dev.kiln.wat.ast.CompType;
import dev.kiln.wat.ast.HeapType;
import dev.kiln.wat.ast.ModuleField;
import dev.kiln.wat.ast.Ref;
import dev.kiln.wat.ast.StorageType;
import dev.kiln.wat.ast.SubType;
import dev.kiln.wat.ast.TypeUse;
import dev.kiln.wat.ast.ValType;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.TypeCodes;
import dev.kiln.wat.binary.WasmWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The type index space: the module's type definitions, their field names, and the function types
 * that type uses without an index add (spec 6.6.3: "the smallest index of a matching function
 * type, else a new one appended to the module's types", in the order the uses appear). Also writes
 * types in the binary format (spec 5.3), since writing them needs the type identifiers.
 */
final class Types {
  private final String fileName;
  private final IndexSpace names;
  /** Every defined type, rec groups flattened, in index order. */
  private final List<SubType> defined = new ArrayList<>();
  private final List<ModuleField.Rec> groups = new ArrayList<>();
  private final Map<Integer, IndexSpace> fieldNames = new HashMap<>();
  /** Signature (params and results in binary form) of each function type a type use may match. */
  private final Map<String, Long> bySignature = new HashMap<>();
  /** Function types added for type uses, after the defined ones. */
  private final List<CompType.Func> implicit = new ArrayList<>();

  Types(List<ModuleField> fields, String fileName) {
    this.fileName = fileName;
    this.names = new IndexSpace("type", fileName);
    for (ModuleField field : fields) {
      if (field instanceof ModuleField.Rec rec) {
        groups.add(rec);
        for (SubType sub : rec.types()) {
          int index = names.add(sub.name(), sub.at());
          defined.add(sub);
          if (sub.comp() instanceof CompType.Struct s) {
            IndexSpace fieldSpace = new IndexSpace("field", fileName);
            for (CompType.FieldDecl f : s.fields()) {
              fieldSpace.add(f.name(), sub.at());
            }
            fieldNames.put(index, fieldSpace);
          }
        }
      }
    }
    // Only a final function type with no supertypes, alone in its recursion group, is what an
    // inline signature means (spec 6.6.3 with 6.4.9's abbreviation of a lone type definition).
    int index = 0;
    for (ModuleField.Rec rec : groups) {
      if (rec.types().size() == 1) {
        SubType sub = rec.types().getFirst();
        if (sub.isFinal() && sub.supertypes().isEmpty() && sub.comp() instanceof CompType.Func f) {
          bySignature.putIfAbsent(signature(f.params().stream().map(CompType.Param::type).toList(), f.results()),
              (long) index);
        }
      }
      index += rec.types().size();
    }
  }

  long resolve(Ref ref) {
    return names.resolve(ref);
  }

  /** The type index a type use denotes, adding a function type if no defined one matches. */
  long use(TypeUse use) {
    List<ValType> params = use.params().stream().map(CompType.Param::type).toList();
    if (use.type() != null) {
      long index = names.resolve(use.type());
      if (use.hasInlineSignature() && index >= defined.size()) {
        // The inline signature must match the named type, which must then be a defined one
        // (func.wast: an index that only an implicit type would fill is unknown).
        throw new WatSyntaxException(fileName, use.at().line(), use.at().column(),
            "expected a defined type index, found unknown type " + index);
      }
      if (use.hasInlineSignature() && index < defined.size()
          && defined.get((int) index).comp() instanceof CompType.Func f) {
        List<ValType> declared = f.params().stream().map(CompType.Param::type).toList();
        if (!signature(declared, f.results()).equals(signature(params, use.results()))) {
          throw new WatSyntaxException(fileName, use.at().line(), use.at().column(),
              "expected the parameters and results of the type it names, found an inline function type that differs");
        }
      }
      return index;
    }
    String key = signature(params, use.results());
    Long found = bySignature.get(key);
    if (found != null) {
      return found;
    }
    long index = defined.size() + implicit.size();
    implicit.add(new CompType.Func(use.params(), use.results()));
    bySignature.put(key, index);
    return index;
  }

  /**
   * The result a block type is written as when it needs no type index (spec 5.4.1: empty or one
   * value type): an empty list or one type; null when the block needs an index because it has
   * parameters or several results. A named type of that simple shape is written the short way too,
   * as wabt does, since both forms mean the same block type.
   */
  List<ValType> inlineBlockResults(TypeUse use) {
    if (!use.params().isEmpty() || use.results().size() > 1) {
      return null;
    }
    if (use.type() == null) {
      return use.results();
    }
    long index = use(use);
    if (index < defined.size() && defined.get((int) index).comp() instanceof CompType.Func f
        && f.params().isEmpty() && f.results().size() <= 1) {
      return f.results();
    }
    return null;
  }

  /** How many parameters a function with this type use has (its locals start after them). */
  int paramCount(TypeUse use) {
    if (use.type() == null || use.hasInlineSignature()) {
      return use.params().size();
    }
    long index = names.resolve(use.type());
    if (index < defined.size() && defined.get((int) index).comp() instanceof CompType.Func f) {
      return f.params().size();
    }
    return 0;
  }

  /** The index of field {@code field} of struct type {@code type}. */
  long field(long type, Ref field) {
    if (field instanceof Ref.Num n) {
      return n.index();
    }
    IndexSpace space = fieldNames.get((int) type);
    if (space == null) {
      throw new WatSyntaxException(fileName, field.at().line(), field.at().column(),
          "expected a field of a struct type, found a field name on type " + type);
    }
    return space.resolve(field);
  }

  private String signature(List<ValType> params, List<ValType> results) {
    WasmWriter w = new WasmWriter();
    w.u32(params.size());
    params.forEach(t -> valType(w, t));
    w.u32(results.size());
    results.forEach(t -> valType(w, t));
    return new String(w.toByteArray(), StandardCharsets.ISO_8859_1);
  }

  void valType(WasmWriter w, ValType type) {
    switch (type) {
      case ValType.Num n -> w.u8(n.code());
      case ValType.Reference r -> refType(w, r);
    }
  }

  /** A reference type, in the short form when it has one (spec 5.3.4). */
  void refType(WasmWriter w, ValType.Reference type) {
    if (type.nullable() && type.heap() instanceof HeapType.Abstract a) {
      w.u8(a.code());
      return;
    }
    w.u8(type.nullable() ? TypeCodes.REF_NULL : TypeCodes.REF);
    heapType(w, type.heap());
  }

  void heapType(WasmWriter w, HeapType heap) {
    switch (heap) {
      case HeapType.Abstract a -> w.u8(a.code());
      case HeapType.Indexed i -> w.s64(names.resolve(i.type()));
    }
  }

  private void fieldType(WasmWriter w, CompType.FieldType field) {
    switch (field.storage()) {
      case StorageType.Packed p -> w.u8(p.code());
      case ValType v -> valType(w, v);
    }
    w.u8(field.mutable() ? 1 : 0);
  }

  private void compType(WasmWriter w, CompType comp) {
    switch (comp) {
      case CompType.Func f -> {
        w.u8(TypeCodes.FUNC_TYPE).u32(f.params().size());
        f.params().forEach(p -> valType(w, p.type()));
        w.u32(f.results().size());
        f.results().forEach(t -> valType(w, t));
      }
      case CompType.Struct s -> {
        w.u8(TypeCodes.STRUCT_TYPE).u32(s.fields().size());
        s.fields().forEach(f -> fieldType(w, f.type()));
      }
      case CompType.Array a -> {
        w.u8(TypeCodes.ARRAY_TYPE);
        fieldType(w, a.element());
      }
    }
  }

  private void subType(WasmWriter w, SubType sub) {
    if (!sub.isFinal() || !sub.supertypes().isEmpty()) {
      w.u8(sub.isFinal() ? TypeCodes.SUB_FINAL : TypeCodes.SUB).u32(sub.supertypes().size());
      sub.supertypes().forEach(s -> w.u32(names.resolve(s)));
    }
    compType(w, sub.comp());
  }

  /** The type section (spec 5.5.4): the defined groups, then the added function types. */
  void write(ModuleWriter module) {
    WasmWriter w = new WasmWriter();
    for (ModuleField.Rec rec : groups) {
      if (rec.types().size() != 1) {
        // A group of one is written as its type alone (spec 5.3.10: the short form means the same).
        w.u8(TypeCodes.REC).u32(rec.types().size());
      }
      rec.types().forEach(sub -> subType(w, sub));
    }
    implicit.forEach(f -> compType(w, f));
    module.vectorSection(ModuleWriter.TYPE, groups.size() + implicit.size(), w);
  }
}
