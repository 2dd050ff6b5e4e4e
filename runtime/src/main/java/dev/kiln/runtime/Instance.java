package dev.kiln.runtime;

import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.sys.ThreadStack;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An instantiated module (WebAssembly 2.0 section 4.5.4): its memories, tables, globals and
 * functions, reached by export name. Made by {@link Linker#instantiate}; it lives in the linker's
 * store.
 *
 * <pre>{@code
 * IntBinaryOperator add = instance.func("add", IntBinaryOperator.class);
 * int sum = add.applyAsInt(2, 40);
 * }</pre>
 */
public final class Instance implements AutoCloseable {
  private final dev.kiln.loader.instance.LoadedInstance instance;

  Instance(dev.kiln.loader.instance.LoadedInstance instance) {
    this.instance = instance;
  }

  /**
   * The exported function {@code name}, called with {@link Val}s.
   *
   * @param name the export name
   * @return the function
   * @throws IllegalArgumentException if there is no function of that name
   */
  public Func func(String name) {
    ThreadStack.requireRoomToLink("Instance.func");
    return new Func(export(name, Extern.Function.class, "function").function());
  }

  /**
   * The exported function {@code name} as an instance of a Java functional interface whose shape is
   * the function's type: i32 as {@code int}, i64 as {@code long}, f64 as {@code double}, e.g. {@code
   * IntBinaryOperator} for {@code (i32 i32) -> (i32)}, {@code Runnable} for {@code () -> ()},
   * {@code LongUnaryOperator}, {@code DoubleBinaryOperator}, {@code IntConsumer}, {@code
   * IntSupplier}, {@code IntToLongFunction}. Its calls throw what {@link Func#call} throws.
   *
   * @param <T> the interface
   * @param name the export name
   * @param signature the interface, one of the {@code java.util.function} primitive
   *     specialisations of up to two parameters, or {@code Runnable}
   * @return the function as that interface
   * @throws IllegalArgumentException if there is no function of that name, the interface is not
   *     one of those, or its type is not the function's
   */
  public <T> T func(String name, Class<T> signature) {
    ThreadStack.requireRoomToLink("Instance.func");
    return Signatures.export(name, func(name), signature);
  }

  /**
   * The exported memory {@code name}.
   *
   * @param name the export name, by convention {@code "memory"}
   * @return the memory
   * @throws IllegalArgumentException if there is no memory of that name
   */
  public Memory memory(String name) {
    ThreadStack.requireRoomToLink("Instance.memory");
    return new Memory(export(name, Extern.Memory.class, "memory").memory(), origin());
  }

  /**
   * The exported global {@code name}.
   *
   * @param name the export name
   * @return the global
   * @throws IllegalArgumentException if there is no global of that name
   */
  public Global global(String name) {
    ThreadStack.requireRoomToLink("Instance.global");
    return new Global(export(name, Extern.Global.class, "global").global(), origin());
  }

  /**
   * The exported table {@code name}.
   *
   * @param name the export name
   * @return the table
   * @throws IllegalArgumentException if there is no table of that name
   */
  public Table table(String name) {
    ThreadStack.requireRoomToLink("Instance.table");
    return new Table(export(name, Extern.Table.class, "table").table(), origin());
  }

  /**
   * The exported tag {@code name}: what a {@link WasmThrow} of it is compared with.
   *
   * @param name the export name
   * @return the tag
   * @throws IllegalArgumentException if there is no tag of that name
   */
  public Tag tag(String name) {
    ThreadStack.requireRoomToLink("Instance.tag");
    return new Tag(export(name, Extern.Tag.class, "tag").tag(), instance.store().types());
  }

  /**
   * Where {@code tag} is in this instance's tag index space (imported tags first, then the ones the
   * module defines, WebAssembly 3.0 section 2.5.1), if the instance imports or defines it: the
   * {@code N} of the module's {@code (tag N)}, for naming a tag the instance does not export.
   *
   * @param tag a tag
   * @return its index here, or empty
   */
  public OptionalInt tagIndex(Tag tag) {
    return instance.tagIndex(tag.internal());
  }

  /**
   * The instance's exports, in the module's order.
   *
   * @return the exports
   */
  public List<ExportType> exports() {
    ThreadStack.requireRoomToLink("Instance.exports");
    return instance.exports().entrySet().stream()
        .map(e -> new ExportType(e.getKey(), Conversions.externType(e.getValue(), instance.store().types()))).toList();
  }

  private <E extends Extern> E export(String name, Class<E> kind, String what) {
    Optional<Extern> extern = instance.export(name);
    if (extern.isEmpty() || !kind.isInstance(extern.get())) {
      throw new IllegalArgumentException("the instance exports no " + what + " \"" + name + "\"");
    }
    return kind.cast(extern.get());
  }

  private HandleOrigin origin() {
    return HandleOrigin.export(instance.lifetime());
  }

  dev.kiln.loader.instance.LoadedInstance internal() {
    return instance;
  }

  /**
   * Closes the instance: Java can no longer use it, nor any handle reached through it (its
   * functions, typed function handles, direct calls, globals, tables and memories throw {@link
   * IllegalStateException}); its memory is freed once nothing else in the store needs it (an
   * instance that imported from it), or when the store closes.
   */
  @Override
  public void close() {
    ThreadStack.requireRoomToLink("Instance.close");
    instance.close();
  }
}
