package dev.kiln.loader.instance;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.loader.module.LoadedModule;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * What a module's instances put in each builtin slot of the VMContext, worked out once per module:
 * the slot's offset, and the module's own code for the builtin or whether its code calls the
 * builtin at all (its WASM_TO_BUILTIN trampoline survived gc-sections). Only the per-instance part
 * (a table builtin's upcall, the executor's helpers) is left to each instantiation, which before
 * looked up the slot by name and the artifact's function index twice per builtin (issue 41: an
 * instance per request).
 */
final class BuiltinSlots {
  private final long[] offsets;
  /** The address of the builtin compiled into {@code .text}, 0 for none. */
  private final long[] compiled;
  private final boolean[] called;

  private BuiltinSlots(long[] offsets, long[] compiled, boolean[] called) {
    this.offsets = offsets;
    this.compiled = compiled;
    this.called = called;
  }

  /** {@code module}'s slots, laid out as {@code view} says; made at its first instantiation. */
  static BuiltinSlots of(LoadedModule module, VmContextView view) {
    return module.derived(BuiltinSlots.class, unused -> {
      Builtin[] builtins = Builtin.values();
      long[] offsets = new long[builtins.length];
      long[] compiled = new long[builtins.length];
      boolean[] called = new boolean[builtins.length];
      for (Builtin builtin : builtins) {
        int i = builtin.ordinal();
        // An unslotted builtin's pointer is in the store context, not the VMContext (Builtin#slotted).
        offsets[i] = builtin.slotted() ? view.offset("builtin", builtin.index(), "") : -1;
        Optional<MemorySegment> code = module.code(FuncKey.builtin(builtin.index()));
        compiled[i] = code.map(MemorySegment::address).orElse(0L);
        called[i] = module.code(FuncKey.wasmToBuiltinTrampoline(builtin.index())).isPresent();
      }
      return new BuiltinSlots(offsets, compiled, called);
    });
  }

  /** The slot's byte offset in the VMContext; -1 for a builtin that has no slot. */
  long offset(Builtin builtin) {
    return offsets[builtin.ordinal()];
  }

  /** The address of the builtin compiled into the module's {@code .text}, 0 if it has none. */
  long compiled(Builtin builtin) {
    return compiled[builtin.ordinal()];
  }

  /** Whether the module's code calls the builtin (its WASM_TO_BUILTIN trampoline is present). */
  boolean called(Builtin builtin) {
    return called[builtin.ordinal()];
  }
}
