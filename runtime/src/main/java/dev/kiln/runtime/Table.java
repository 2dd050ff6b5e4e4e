package dev.kiln.runtime;

import dev.kiln.loader.sys.ThreadStack;
import dev.kiln.loader.table.TableInstance;

/**
 * A table of references (WebAssembly 3.0 section 4.2.7), e.g. the function table {@code
 * call_indirect} reads. Its elements are {@link Val.Ref}s, or {@link Val.Gc}s for structs and
 * arrays; a value written from Java is checked against the element type (a funcref must be one of
 * the store's, an object one of its objects of that type) before compiled code can use it.
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
   * @return {@link ValType#FUNCREF}, {@link ValType#EXTERNREF}, {@link ValType#ANYREF} or {@link
   *     ValType#EXNREF}
   */
  public ValType elementType() {
    ThreadStack.requireRoomToLink("Table.elementType");
    return type().element();
  }

  /**
   * The table's type, its element type precisely.
   *
   * @return the type
   */
  public TableType type() {
    ThreadStack.requireRoomToLink("Table.type");
    return Conversions.tableType(table);
  }

  /**
   * The current number of elements.
   *
   * @return the size
   */
  public long size() {
    ThreadStack.requireRoomToLink("Table.size");
    return origin.access("read a table's size", table::size);
  }

  /**
   * Element {@code index}.
   *
   * @param index the element
   * @return the reference: a {@link Val.Ref} (handle 0 for null) or a {@link Val.Gc}
   * @throws IndexOutOfBoundsException if {@code index} is not below {@link #size()}
   */
  public Val get(long index) {
    ThreadStack.requireRoomToLink("Table.get");
    // converted under the hold that read the word: a collection after it would move the object (red team 14 F4)
    return origin.access("read a table", () -> Conversions.reference(table.get(index), table.referenceType(),
        table.store()));
  }

  /**
   * Sets element {@code index}, as {@code table.set} would.
   *
   * @param index the element
   * @param value a reference of the element type
   * @throws IndexOutOfBoundsException if {@code index} is not below {@link #size()}
   * @throws IllegalArgumentException if the value is of another type, or a funcref or object not of the store
   */
  public void set(long index, Val value) {
    ThreadStack.requireRoomToLink("Table.set");
    origin.run("write a table", () -> table.set(index, bits(value)));
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
  public long grow(long delta, Val init) {
    ThreadStack.requireRoomToLink("Table.grow");
    return origin.access("grow a table", () -> table.grow(delta, bits(init)));
  }

  /**
   * The bits {@code value} stands for in the table's store, once its type is checked; called under
   * the hold that writes them (an object's word is current only while the store is held).
   */
  private long bits(Val value) {
    return Conversions.wasmValue(value, table.referenceType(), table.store(), "the value", "the table's elements")
        .bits();
  }

  TableInstance internal() {
    return table;
  }
}
