package dev.kiln.wat.ast;

/** A value type (spec 6.4.1-6.4.4). */
public sealed interface ValType extends StorageType {
  /** A number or vector type with its binary code. */
  record Num(String name, int code) implements ValType {}

  /** {@code (ref null? heaptype)}; the short forms such as {@code funcref} are nullable. */
  record Reference(boolean nullable, HeapType heap) implements ValType {}
}
