package dev.kiln.wat.ast;

import java.util.List;

/** An immediate of an instruction as written; which ones an instruction has follows its shape. */
public sealed interface Imm {
  /** An index into one of the module's or function's index spaces, or a label. */
  record Index(Ref ref) implements Imm {}

  /** A number: an integer constant, a float's bit pattern, a lane index or a count. */
  record Int(long value) implements Imm {}

  /** Raw bytes: a v128 constant or the lane indices of a shuffle. */
  record Bytes(byte[] value) implements Imm {}

  /**
   * A memory operand (spec 6.5.6).
   *
   * @param memory the memory index (0 when not written)
   * @param offset the offset as an unsigned bit pattern
   * @param alignLog2 log2 of the alignment
   */
  record Memarg(Ref memory, long offset, int alignLog2) implements Imm {}

  /** A heap type ({@code ref.null}). */
  record Heap(HeapType heap) implements Imm {}

  /** A reference type ({@code ref.test}, {@code ref.cast}, {@code br_on_cast}). */
  record RefType(ValType.Reference type) implements Imm {}

  /** Value types ({@code select (result t*)}); null when {@code select} has no annotation. */
  record Types(List<ValType> types) implements Imm {}

  /**
   * A block's label (null when none) and its block type; also the type use of {@code
   * call_indirect} and {@code return_call_indirect}, with no label.
   */
  record Block(String label, TypeUse type) implements Imm {}

  /**
   * A {@code try_table} catch clause (spec 5.4.1): kind 0 catch, 1 catch_ref, 2 catch_all, 3
   * catch_all_ref.
   *
   * @param tag the tag, null for the catch_all kinds
   * @param label the branch target
   */
  record Catch(int kind, Ref tag, Ref label) implements Imm {}
}
