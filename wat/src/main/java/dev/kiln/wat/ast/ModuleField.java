package dev.kiln.wat.ast;

import dev.kiln.wat.lex.Token;
import java.util.List;

/**
 * The fields of a module after the parser has expanded the abbreviations that introduce fields
 * of their own (spec 6.6: inline imports and exports stay attached to their definition, so the
 * export section keeps the order of the text; inline element and data segments become segment
 * fields).
 */
public sealed interface ModuleField {
  /** Where the field starts. */
  Token at();

  /** A recursion group (spec 6.6.2); a lone {@code (type ...)} is a group of one. */
  record Rec(List<SubType> types, boolean explicit, Token at) implements ModuleField {}

  /** An import, written as a field or inline in a definition (spec 6.6.5). */
  record Import(String module, String name, ImportDesc desc, List<String> exports, Token at)
      implements ModuleField {}

  /** A function definition (spec 6.6.6). */
  record Func(String id, List<String> exports, TypeUse type, List<CompType.Param> locals, List<Instr> body,
      Token at) implements ModuleField {}

  /** A table definition, with an initialising expression or null (spec 6.6.7). */
  record Table(String id, List<String> exports, TableType type, List<Instr> init, Token at)
      implements ModuleField {}

  /** A memory definition (spec 6.6.8). */
  record Memory(String id, List<String> exports, MemoryType type, Token at) implements ModuleField {}

  /** A global definition (spec 6.6.9). */
  record Global(String id, List<String> exports, GlobalType type, List<Instr> init, Token at)
      implements ModuleField {}

  /** A tag definition (spec 6.6.13). */
  record Tag(String id, List<String> exports, TypeUse type, Token at) implements ModuleField {}

  /**
   * An export field (spec 6.6.10).
   *
   * @param kind the binary external kind: 0 func, 1 table, 2 memory, 3 global, 4 tag
   */
  record Export(String name, int kind, Ref ref, Token at) implements ModuleField {}

  /** The start function (spec 6.6.11). */
  record Start(Ref func, Token at) implements ModuleField {}

  /** An element segment (spec 6.6.12): each item is a constant expression. */
  record Elem(String id, SegmentMode mode, ValType.Reference type, List<List<Instr>> items, Token at)
      implements ModuleField {}

  /** A data segment (spec 6.6.14). */
  record Data(String id, SegmentMode mode, byte[] bytes, Token at) implements ModuleField {}

  /** A table's type. */
  record TableType(Limits limits, ValType.Reference element) {}

  /**
   * A memory's type (spec 6.4.8).
   *
   * @param shared whether it is declared {@code shared} (the threads proposal's {@code memtype ::=
   *     limits 'shared'}, binary limits flag bit 1)
   */
  record MemoryType(Limits limits, boolean shared) {}

  /** A global's type. */
  record GlobalType(ValType type, boolean mutable) {}

  /** What an import brings in, with the identifier it binds (or null). */
  sealed interface ImportDesc {
    String id();

    record Func(String id, TypeUse type) implements ImportDesc {}

    record Table(String id, TableType type) implements ImportDesc {}

    record Memory(String id, MemoryType type) implements ImportDesc {}

    record Global(String id, GlobalType type) implements ImportDesc {}

    record Tag(String id, TypeUse type) implements ImportDesc {}
  }

  /** How a segment is used (spec 2.5.12, 2.5.13). */
  sealed interface SegmentMode {
    record Passive() implements SegmentMode {}

    record Declarative() implements SegmentMode {}

    /** Copied into {@code target} (a table or memory; index 0 when not written) at {@code offset}. */
    record Active(Ref target, List<Instr> offset) implements SegmentMode {}
  }
}
