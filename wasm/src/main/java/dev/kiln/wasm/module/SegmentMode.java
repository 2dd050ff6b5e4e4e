package dev.kiln.wasm.module;

/**
 * How a data or element segment is used (spec 2.5.7, 2.5.8): copied at instantiation into a table or
 * memory at an offset (active), kept for {@code table.init}/{@code memory.init} (passive), or only
 * declaring functions that {@code ref.func} may name (declarative, element segments only).
 */
public sealed interface SegmentMode {
  record Active(int index, ConstExpr offset) implements SegmentMode {}

  record Passive() implements SegmentMode {}

  record Declarative() implements SegmentMode {}
}
