package dev.kiln.compiler.translate;

import dev.kiln.ir.TrapCode;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.ValueType;
import java.util.BitSet;

/**
 * The null checks of the references a function's operators take ({@code struct.get}, {@code
 * call_ref}, {@code ref.as_non_null}...: spec 3.0 4.4.7, "if ref is null, trap"), left out where the
 * reference is never null: its value was made by an allocation, {@code ref.i31} or {@code ref.func},
 * or made where the translator reads something of a non-nullable wasm type (a {@code (ref $t)}
 * parameter at the entry, a call's or block's result, a global, table element or field, a
 * frame-resident local's slot). Validation guarantees a value of a non-nullable type is not null
 * (spec 3.0 3.3.x), and so does every way in from Java (a call argument, a host function's result, a
 * global or table written: the loader's {@code ReferenceChecks}), which compiled code relies on for a
 * reference's heap type already.
 *
 * <p>Known by IR value: a fact holds wherever the value is used, so only a value made at the point
 * the type speaks of is noted. A {@code local.get} of a {@code (ref $t)} local is not: it yields the
 * value last stored, and {@code ref.as_non_null}, {@code br_on_null} and {@code ref.cast} store
 * their operand unchanged, the same value a nullable local holds, non-null only where the check ran
 * (helper-98's review: noted at the read, the null check of the nullable local's use on another path
 * was left out, and a null dereference crashed the process). What a dominating check proves is value
 * numbering's to use ({@code KnownZeroness}), which sees the dominator tree. A value reloaded after
 * a safepoint is the same reference (moved, or still null) and keeps its fact ({@link #same}).
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

  /** Traps with {@code code} when {@code ref} is null, unless it is known never to be. */
  void check(int ref, TrapCode code) {
    if (!nonNull.get(ref)) {
      b.ins().trapz(ref, code);
    }
  }
}
