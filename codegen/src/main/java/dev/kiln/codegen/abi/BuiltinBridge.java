package dev.kiln.codegen.abi;

import dev.kiln.artifact.vm.Builtin;

/**
 * Which builtins a WASM_TO_BUILTIN trampoline can bridge, on every ISA: the trampoline drops the
 * caller's vmctx by moving each parameter one integer register down, so a builtin's parameters
 * must fit in the convention's integer parameter registers after the vmctx pair (a stack argument
 * would need copying, which no builtin needs), and it returns at most one result, which stays in
 * the first integer result register.
 */
public final class BuiltinBridge {
  private BuiltinBridge() {}

  /** The most builtin parameters a trampoline passes under {@code convention}. */
  public static int maxParams(CallConvention<?, ?> convention) {
    return convention.intParams().size() - WasmCallAssignment.VMCTX_REGISTERS;
  }

  /**
   * Checks that {@code builtin} is reached through a trampoline and that one can bridge it.
   *
   * @throws IllegalArgumentException for a builtin without a trampoline, or with too many
   *     parameters or results
   */
  public static void check(Builtin builtin, CallConvention<?, ?> convention) {
    if (!builtin.hasTrampoline()) {
      throw new IllegalArgumentException("builtin " + builtin.text() + " has no trampoline (the trap stub is"
          + " the trap builtin's entry; compiled and C builtins are called directly)");
    }
    if (builtin.params().size() > maxParams(convention) || builtin.results().size() > 1) {
      throw new IllegalArgumentException("builtin " + builtin.text()
          + " needs more than register arguments and one result: " + builtin.params() + " -> "
          + builtin.results());
    }
  }
}
