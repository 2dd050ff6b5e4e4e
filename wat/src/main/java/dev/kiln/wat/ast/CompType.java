package dev.kiln.wat.ast;

import java.util.List;

/** A composite type (spec 6.4.8): function, struct or array. */
public sealed interface CompType {
  /** A function type; parameters keep the names they were declared with (null when none). */
  record Func(List<Param> params, List<ValType> results) implements CompType {}

  /** A struct type; fields keep their names (null when none). */
  record Struct(List<FieldDecl> fields) implements CompType {}

  /** An array type. */
  record Array(FieldType element) implements CompType {}

  /** A parameter or local with its identifier, or null. */
  record Param(String name, ValType type) {}

  /** A struct field with its identifier, or null. */
  record FieldDecl(String name, FieldType type) {}

  /** A field's storage type and mutability. */
  record FieldType(StorageType storage, boolean mutable) {}
}
