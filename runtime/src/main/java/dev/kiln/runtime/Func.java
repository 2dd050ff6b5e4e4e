package dev.kiln.runtime;

import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.sys.ThreadStack;
import java.util.List;

/**
 * A function of an instance (or a host function), called with {@link Val}s. For the common shapes,
 * {@link Instance#func(String, Class)} gives a typed handle instead: a Java functional interface
 * whose call needs no boxing into {@code Val}s.
 */
public final class Func {
  private final FunctionInstance function;
  private final FuncType type;

  Func(FunctionInstance function) {
    this.function = function;
    this.type = (FuncType) function.store().types().apiType(function.typeId(),
        (types, id) -> Conversions.funcType(id, types));
  }

  /**
   * The function's type.
   *
   * @return the type
   */
  public FuncType type() {
    return type;
  }

  /**
   * Calls the function.
   *
   * @param args one value per parameter, of the parameter's type
   * @return one value per result
   * @throws Trap if the code traps (or a host function it calls throws)
   * @throws WasiExit if a WASI guest called {@code proc_exit}
   * @throws IllegalArgumentException if the arguments do not fit the type
   * @throws IllegalStateException if the instance was closed, or another thread is using the store
   */
  public List<Val> call(Val... args) {
    Failures.requireRoomToCall();
    if (args.length != type.params().size()) {
      throw new IllegalArgumentException("function takes " + type.params().size() + " arguments, got " + args.length);
    }
    // One hold of the store from the arguments' words to the results' handles: an object's word is
    // current only while the store is held, since another thread's collection moves the objects
    // (red team 14 F4). An uncaught exception's payload is converted under it too (Store).
    return function.store().exclusive("call a function in it", () -> {
      WasmValue[] values = new WasmValue[args.length];
      for (int i = 0; i < args.length; i++) {
        values[i] = Conversions.wasmValue(args[i], function.store().types().paramType(function.typeId(), i),
            function.store(), "argument " + i, "the parameter");
      }
      List<WasmValue> results = Failures.translated(() -> function.call(values));
      List<Val> out = new java.util.ArrayList<>(results.size());
      for (int i = 0; i < results.size(); i++) {
        // the precise result type decides what a reference becomes (a struct is no funcref, red team 8 F6)
        out.add(Conversions.val(results.get(i), function.store().types().resultType(function.typeId(), i),
            function.store()));
      }
      return out;
    });
  }

  /**
   * The function as a {@link DirectCall}: called with its arguments' bits, straight to its native
   * entry, no boxing. Make it once and keep it: making it resolves the entry.
   *
   * @return the direct call
   * @throws IllegalArgumentException if a parameter or result is not a number (v128, a
   *     reference), or there are more than 64 of either: call those with {@link #call}
   * @throws IllegalStateException if the instance was closed, or another thread is using the store
   */
  public DirectCall direct() {
    ThreadStack.requireRoomToLink("Func.direct");
    if (!dev.kiln.loader.runtime.DirectEntry.supports(function.type())) {
      throw new IllegalArgumentException("a direct call takes numbers only (at most 64), not " + type);
    }
    return new DirectCall(this, Failures.translated(() -> function.directEntry().orElse(null)));
  }

  FunctionInstance internal() {
    return function;
  }

  @Override
  public String toString() {
    return "func " + type;
  }
}
