package dev.kiln.wat.ast;

/** A heap type (spec 6.4.3): abstract ({@code func}, {@code any}, ...) or a type index. */
public sealed interface HeapType {
  /** An abstract heap type and its binary code (dev.kiln.wat.binary.TypeCodes). */
  record Abstract(String name, int code) implements HeapType {}

  /** A defined type. */
  record Indexed(Ref type) implements HeapType {}
}
