package dev.kiln.runtime;

import java.util.List;

/**
 * The Java body of a host function of any type (for the common shapes, {@link Linker#func(String,
 * String, Class, Object)} takes a plain lambda instead). It sees its {@link Caller}, e.g. to read the
 * calling instance's memory.
 *
 * <pre>{@code
 * linker.func("env", "print", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()), (caller, args) -> {
 *   Memory memory = caller.memory("memory").orElseThrow();
 *   System.out.println(memory.readString(args.get(0).asInt(), args.get(1).asInt()));
 *   return List.of();
 * });
 * }</pre>
 */
@FunctionalInterface
public interface HostFunc {
  /**
   * Runs the function.
   *
   * @param caller the calling instance
   * @param args one value per parameter, of the parameter's type
   * @return one value per result, of the result's type
   * @throws Exception anything: the calling wasm code traps with {@code host function failed}, and
   *     the exception is the {@link Trap}'s cause
   */
  List<Val> call(Caller caller, List<Val> args) throws Exception;
}
