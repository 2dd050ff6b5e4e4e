package dev.kiln.compiler.translate;

import dev.kiln.ir.TrapCode;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.ValueType;
import java.util.BitSet;

/**
 * The null checks of the references a function's operators take ({@code struct.get}, {@code
 * call_ref}, {@code ref.as_non_null}...: spec 3.0 4.4.7, "if ref is null, trap"), left out where the
 * reference is never null: its value was made by an allocation, or made from something whose wasm
 * type is non-nullable (a {@code (ref $t)} local, parameter, global, table element, field, call or
 * block result). Validation guarantees a value of a non-nullable type is not null (spec 3.0 3.3.x),
 * and so does every way in from Java (a call argument, a host function's result, a global or table
 * written: the loader's {@code ReferenceChecks}), which compiled code relies on for a reference's
 * heap type already.
 *
 * <p>Known by IR value, which is one value wherever it is used: a fact of its type holds at every
 * use. What a dominating check proves of a nullable one is left to value numbering ({@code
 * KnownZeroness}), which sees the dominator tree. A value reloaded after a safepoint is the same
 * reference (moved, or still null) and keeps its fact ({@link #same}).
 */
final class NullChecks {
  private final FunctionBuilder b;
  private final BitSet nonNull = new BitSet();

  NullChecks(FunctionBuilder b) {
    this.b = b;
  }

  /** Whether a value of wasm type {@code type} is never null: a non-nullable reference type. */
  static boolean isNonNullable(ValueType type) {
    return type instanceof RefType r && !r.nullable();
  }

  /** Notes that {@code value}, of wasm type {@code type}, is never null when the type says so; returns it. */
  int note(int value, ValueType type) {
    if (isNonNullable(type)) {
      nonNull.set(value);
    }
    return value;
  }

  /** Notes that {@code value} is never null (an allocation's result); returns it. */
  int noteNonNull(int value) {
    nonNull.set(value);
    return value;
  }

  /** Notes that {@code reloaded} is the reference {@code before} was, moved by a collection or not. */
  void same(int before, int reloaded) {
    if (nonNull.get(before)) {
      nonNull.set(reloaded);
    }
  }

  /** Whether {@code value} is known never to be null. */
  boolean isNonNull(int value) {
    return nonNull.get(value);
  }

  /** Traps with {@code code} when {@code ref} is null, unless it is known never to be. */
  void check(int ref, TrapCode code) {
    if (!nonNull.get(ref)) {
      b.ins().trapz(ref, code);
    }
  }
}
