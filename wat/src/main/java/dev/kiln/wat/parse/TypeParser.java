package dev.kiln.wat.parse;

import dev.kiln.wat.Edition;
import dev.kiln.wat.ast.CompType;
import dev.kiln.wat.ast.HeapType;
import dev.kiln.wat.ast.Limits;
import dev.kiln.wat.ast.ModuleField;
import dev.kiln.wat.ast.Ref;
import dev.kiln.wat.ast.StorageType;
import dev.kiln.wat.ast.SubType;
import dev.kiln.wat.ast.TypeUse;
import dev.kiln.wat.ast.ValType;
import dev.kiln.wat.binary.TypeCodes;
import dev.kiln.wat.lex.Literals;
import dev.kiln.wat.lex.Token;
import dev.kiln.wat.lex.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Types as the text format writes them (spec 6.4) and type uses (spec 6.6.3). */
final class TypeParser {
  private static final Map<String, Integer> NUM_TYPES = Map.of(
      "i32", TypeCodes.I32, "i64", TypeCodes.I64, "f32", TypeCodes.F32, "f64", TypeCodes.F64,
      "v128", TypeCodes.V128);

  private static final Map<String, Integer> ABSTRACT_HEAP_TYPES = Map.ofEntries(
      Map.entry("func", TypeCodes.FUNC), Map.entry("extern", TypeCodes.EXTERN),
      Map.entry("any", TypeCodes.ANY), Map.entry("eq", TypeCodes.EQ), Map.entry("i31", TypeCodes.I31),
      Map.entry("struct", TypeCodes.STRUCT), Map.entry("array", TypeCodes.ARRAY),
      Map.entry("none", TypeCodes.NONE), Map.entry("nofunc", TypeCodes.NOFUNC),
      Map.entry("noextern", TypeCodes.NOEXTERN), Map.entry("exn", TypeCodes.EXN),
      Map.entry("noexn", TypeCodes.NOEXN));

  /** The short forms {@code funcref} etc.: {@code (ref null ht)} (spec 6.4.4). */
  private static final Map<String, String> REF_SHORTHANDS = Map.ofEntries(
      Map.entry("funcref", "func"), Map.entry("externref", "extern"), Map.entry("anyref", "any"),
      Map.entry("eqref", "eq"), Map.entry("i31ref", "i31"), Map.entry("structref", "struct"),
      Map.entry("arrayref", "array"), Map.entry("nullref", "none"), Map.entry("nullfuncref", "nofunc"),
      Map.entry("nullexternref", "noextern"), Map.entry("exnref", "exn"), Map.entry("nullexnref", "noexn"));

  private final Cursor in;
  private final Edition edition;

  TypeParser(Cursor in, Edition edition) {
    this.in = in;
    this.edition = edition;
  }

  boolean atValType() {
    Token t = in.peek();
    if (t.kind() == TokenKind.KEYWORD) {
      return NUM_TYPES.containsKey(t.text()) || REF_SHORTHANDS.containsKey(t.text());
    }
    return in.atParen("ref");
  }

  boolean atRefType() {
    return in.peek().kind() == TokenKind.KEYWORD && REF_SHORTHANDS.containsKey(in.peek().text()) || in.atParen("ref");
  }

  ValType valType() {
    Token t = in.peek();
    if (t.kind() == TokenKind.KEYWORD && NUM_TYPES.containsKey(t.text())) {
      in.next();
      return new ValType.Num(t.text(), NUM_TYPES.get(t.text()));
    }
    if (atRefType()) {
      return refType();
    }
    throw in.expected("a value type");
  }

  ValType.Reference refType() {
    Token t = in.peek();
    if (t.kind() == TokenKind.KEYWORD && REF_SHORTHANDS.containsKey(t.text())) {
      in.next();
      String heap = REF_SHORTHANDS.get(t.text());
      return new ValType.Reference(true, new HeapType.Abstract(heap, ABSTRACT_HEAP_TYPES.get(heap)));
    }
    if (!in.atParen("ref")) {
      throw in.expected("a reference type");
    }
    in.expectParen("ref");
    boolean nullable = false;
    if (in.atKeyword("null")) {
      in.next();
      nullable = true;
    }
    HeapType heap = heapType();
    in.expectRParen();
    return new ValType.Reference(nullable, heap);
  }

  HeapType heapType() {
    Token t = in.peek();
    if (t.kind() == TokenKind.KEYWORD && ABSTRACT_HEAP_TYPES.containsKey(t.text())) {
      in.next();
      return new HeapType.Abstract(t.text(), ABSTRACT_HEAP_TYPES.get(t.text()));
    }
    if (in.atIndex()) {
      return new HeapType.Indexed(in.index("a heap type"));
    }
    throw in.expected("a heap type");
  }

  StorageType storageType() {
    if (in.atKeyword("i8")) {
      in.next();
      return new StorageType.Packed("i8", TypeCodes.I8);
    }
    if (in.atKeyword("i16")) {
      in.next();
      return new StorageType.Packed("i16", TypeCodes.I16);
    }
    if (atValType()) {
      return valType();
    }
    throw in.expected("a storage type");
  }

  CompType.FieldType fieldType() {
    if (in.atParen("mut")) {
      in.expectParen("mut");
      StorageType st = storageType();
      in.expectRParen();
      return new CompType.FieldType(st, true);
    }
    return new CompType.FieldType(storageType(), false);
  }

  /** {@code (type $id? subtype)} after the caller has seen {@code (type}. */
  SubType typeDefinition() {
    Token open = in.expectParen("type");
    String name = in.optionalId();
    SubType sub;
    if (in.atParen("sub")) {
      in.expectParen("sub");
      boolean isFinal = false;
      if (in.atKeyword("final")) {
        in.next();
        isFinal = true;
      }
      List<Ref> supers = new ArrayList<>();
      while (in.atIndex()) {
        supers.add(in.index("a supertype"));
      }
      CompType comp = compType();
      in.expectRParen();
      sub = new SubType(name, isFinal, supers, comp, open);
    } else {
      sub = new SubType(name, true, List.of(), compType(), open);
    }
    in.expectRParen();
    return sub;
  }

  CompType compType() {
    if (in.atParen("func")) {
      in.expectParen("func");
      List<CompType.Param> params = params(true);
      List<ValType> results = results();
      in.expectRParen();
      return new CompType.Func(params, results);
    }
    if (in.atParen("struct")) {
      in.expectParen("struct");
      List<CompType.FieldDecl> fields = new ArrayList<>();
      while (in.atParen("field")) {
        in.expectParen("field");
        if (in.at(TokenKind.ID)) {
          String name = in.next().text();
          fields.add(new CompType.FieldDecl(name, fieldType()));
        } else {
          while (!in.at(TokenKind.RPAREN)) {
            fields.add(new CompType.FieldDecl(null, fieldType()));
          }
        }
        in.expectRParen();
      }
      in.expectRParen();
      return new CompType.Struct(fields);
    }
    if (in.atParen("array")) {
      in.expectParen("array");
      CompType.FieldType element = fieldType();
      in.expectRParen();
      return new CompType.Array(element);
    }
    throw in.expected("'(func', '(struct' or '(array'");
  }

  /** {@code (param ...)*}; {@code named} allows {@code (param $id t)}. */
  List<CompType.Param> params(boolean named) {
    List<CompType.Param> params = new ArrayList<>();
    while (in.atParen("param")) {
      in.expectParen("param");
      if (in.at(TokenKind.ID)) {
        if (!named) {
          throw in.expected("a value type (no identifier here)");
        }
        String name = in.next().text();
        params.add(new CompType.Param(name, valType()));
      } else {
        while (!in.at(TokenKind.RPAREN)) {
          params.add(new CompType.Param(null, valType()));
        }
      }
      in.expectRParen();
    }
    return params;
  }

  List<ValType> results() {
    List<ValType> results = new ArrayList<>();
    while (in.atParen("result")) {
      in.expectParen("result");
      while (!in.at(TokenKind.RPAREN)) {
        results.add(valType());
      }
      in.expectRParen();
    }
    return results;
  }

  /** {@code (type x)? (param ...)* (result ...)*} (spec 6.6.3). */
  TypeUse typeUse(boolean namedParams) {
    Token at = in.peek();
    Ref type = null;
    if (in.atParen("type")) {
      in.expectParen("type");
      type = in.index("a type index");
      in.expectRParen();
    }
    List<CompType.Param> params = params(namedParams);
    List<ValType> results = results();
    return new TypeUse(type, params, results, at);
  }

  /** {@code addrtype? limits} (spec 6.4.5, 6.4.6); the address type was read by the caller. */
  Limits limits(boolean address64) {
    long min = bound(address64);
    Long max = null;
    if (in.at(TokenKind.NUMBER)) {
      max = bound(address64);
    }
    return new Limits(address64, min, max);
  }

  private long bound(boolean address64) {
    Token t = in.peek();
    if (t.kind() == TokenKind.NUMBER) {
      // 3.0: a u64 for either address type; a 32-bit table or memory with a larger limit is
      // well-formed but invalid (the 3.0 suite's memory.wast, table.wast). 2.0: u32 for 32-bit.
      Long v = Literals.u64(t.text());
      boolean u32Only = edition == Edition.WASM_2 && !address64;
      if (v != null && (!u32Only || Long.compareUnsigned(v, 0xFFFF_FFFFL) <= 0)) {
        in.next();
        return v;
      }
      throw in.error(t, "expected a limit below 2^" + (u32Only ? 32 : 64) + ", found " + t.describe());
    }
    throw in.expected("a limit");
  }

  /**
   * {@code addrtype? limits shared?} (spec 6.4.8, with the threads proposal's {@code shared}); the
   * address type was read by the caller.
   */
  ModuleField.MemoryType memoryType(boolean address64) {
    Limits limits = limits(address64);
    boolean shared = in.atKeyword("shared");
    if (shared) {
      in.next();
    }
    return new ModuleField.MemoryType(limits, shared);
  }

  /** An optional address type keyword (memory64, table64): true for {@code i64}. */
  boolean addressType() {
    if (in.atKeyword("i64")) {
      in.next();
      return true;
    }
    if (in.atKeyword("i32")) {
      in.next();
    }
    return false;
  }
}
