package dev.kiln.runtime;

import dev.kiln.loader.table.TableInstance;

/**
 * A table of references (WebAssembly 2.0 section 4.2.7), e.g. the function table {@code
 * call_indirect} reads. Its elements are {@link Val.Ref}s; a funcref written from Java must be one
 * of the store's, checked before compiled code can call through it.
 */
public final class Table {
  private final TableInstance table;
  private final HandleOrigin origin;

  Table(TableInstance table, HandleOrigin origin) {
    this.table = table;
    this.origin = origin;
  }

  /**
   * The element type.
   *
   * @return {@link ValType#FUNCREF} or {@link ValType#EXTERNREF}
   */
  public ValType elementType() {
    return Conversions.valType(table.type().elementType());
  }

  /**
   * The current number of elements.
   *
   * @return the size
   */
  public long size() {
    return origin.access("read a table's size", table::size);
  }

  /**
   * Element {@code index}.
   *
   * @param index the element
   * @return the reference, with handle 0 for null
   * @throws IndexOutOfBoundsException if {@code index} is not below {@link #size()}
   */
  public Val.Ref get(long index) {
    long bits = origin.access("read a table", () -> table.get(index));
    return new Val.Ref(elementType(), Conversions.ref(table.type().elementType(), bits, table.store()));
  }

  /**
   * Sets element {@code index}, as {@code table.set} would.
   *
   * @param index the element
   * @param value a reference of the element type
   * @throws IndexOutOfBoundsException if {@code index} is not below {@link #size()}
   * @throws IllegalArgumentException if the value is of another type, or a funcref not of the store
   */
  public void set(long index, Val.Ref value) {
    long bits = bits(value);
    origin.run("write a table", () -> table.set(index, bits));
  }

  /**
   * {@code table.grow} (WebAssembly 2.0 section 4.4.6): appends {@code delta} elements holding
   * {@code init}.
   *
   * @param delta the elements to add
   * @param init the value of the new elements
   * @return the old size, or -1 if the table cannot grow that far (it is unchanged)
   * @throws IllegalStateException if another thread is using the table's store
   */
  public long grow(long delta, Val.Ref init) {
    long bits = bits(init);
    return origin.access("grow a table", () -> table.grow(delta, bits));
  }

  /** The bits {@code value} stands for in the table's store, once its type is checked. */
  private long bits(Val.Ref value) {
    if (value.type() != elementType()) {
      throw new IllegalArgumentException("a " + value.type() + " in a table of " + elementType());
    }
    return Conversions.address(value.type(), value.handle(), table.store());
  }

  TableInstance internal() {
    return table;
  }
}
