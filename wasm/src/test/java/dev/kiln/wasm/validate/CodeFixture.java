package dev.kiln.wasm.validate;

import dev.kiln.wasm.Features;
import dev.kiln.wasm.code.Hex;
import dev.kiln.wasm.module.ConstExpr;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.LocalDecl;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.Limits;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.TableType;
import dev.kiln.wasm.types.TypeSection;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Test helper: one context rich enough for every code rule, and bodies built from hex.
 *
 * <p>Types (function {@code i} has type {@code i}): 0 [] -> [], 1 [i32] -> [i32], 2 [i32 i32] ->
 * [i32], 3 [] -> [i32 i32], 4 [i64] -> [], 5 [] -> [i32]. Only function 1 is declared for ref.func.
 * Tables: 0 funcref, 1 externref. Memories: 0 with i32 addresses, 1 with i64 addresses. Globals: 0
 * immutable i32 (imported), 1 mutable i64 (imported), 2 immutable f32 (defined). Element segments:
 * 0 funcref, 1 externref. Data count 2. Tags: 0 of type 4 (payload [i64]), 1 of type 0 (no payload).
 */
final class CodeFixture {
  private CodeFixture() {}

  static final List<FuncType> TYPES =
      List.of(
          new FuncType(List.of(), List.of()),
          new FuncType(List.of(ValType.I32), List.of(ValType.I32)),
          new FuncType(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)),
          new FuncType(List.of(), List.of(ValType.I32, ValType.I32)),
          new FuncType(List.of(ValType.I64), List.of()),
          new FuncType(List.of(), List.of(ValType.I32)));

  static ValidationContext context(Features features, OptionalInt dataCount) {
    return new ValidationContext(
        features,
        TypeSection.of(TYPES),
        List.of(0, 1, 2, 3, 4, 5),
        List.of(new TableType(ValType.FUNCREF, Limits.of(1)), new TableType(ValType.EXTERNREF, Limits.of(1))),
        List.of(new MemoryType(Limits.of(1), false, false), new MemoryType(Limits.of(1), true, false)),
        List.of(
            new GlobalType(ValType.I32, false), new GlobalType(ValType.I64, true), new GlobalType(ValType.F32, false)),
        2,
        List.<ValueType>of(ValType.FUNCREF, ValType.EXTERNREF),
        dataCount,
        Set.of(1),
        List.of(4, 0));
  }

  static ValidationContext context() {
    return context(Features.ALL, OptionalInt.of(2));
  }

  /** A body whose code is {@code hex}, preceded in the source by one filler byte and followed by {@code trailer}. */
  static FunctionBody body(List<LocalDecl> locals, String hex, String trailer) {
    byte[] code = Hex.bytes(hex);
    byte[] after = Hex.bytes(trailer);
    byte[] source = new byte[1 + code.length + after.length];
    System.arraycopy(code, 0, source, 1, code.length);
    System.arraycopy(after, 0, source, 1 + code.length, after.length);
    return new FunctionBody(locals, source, 0, 1, 1 + code.length);
  }

  static FunctionBody body(String hex) {
    return body(List.of(), hex, "");
  }

  /** Parses {@code "2 i64, 1 f32"} into local declarations. */
  static List<LocalDecl> locals(String spec) {
    if (spec.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(spec.split(","))
        .map(String::trim)
        .map(s -> s.split(" "))
        .map(p -> new LocalDecl(Long.parseLong(p[0]), valType(p[1])))
        .toList();
  }

  static ValType valType(String text) {
    for (ValType t : ValType.values()) {
      if (t.toString().equals(text)) {
        return t;
      }
    }
    throw new IllegalArgumentException(text);
  }

  static ConstExpr expr(String hex) {
    byte[] code = Hex.bytes(hex);
    return new ConstExpr(code, 0, code.length);
  }
}
