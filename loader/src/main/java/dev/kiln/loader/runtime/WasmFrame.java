package dev.kiln.loader.runtime;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.FuncKeyKind;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One frame of a trap's backtrace, resolved from a code address: the function it lies in (reverse
 * lookup in the function index), that function's name if the module info has one, and the wasm
 * byte offset from the address map (docs/ARCHITECTURE.md section 4, "Traps without signals"). Where
 * a call was inlined, one address gives several frames: the inlined function's, then its caller's
 * at the call (the artifact's inline map).
 *
 * @param key the wasm function of the frame: the compiled function containing the address, or a
 *     function inlined into it
 * @param name the function's name, for wasm functions that have one
 * @param wasmOffset the byte offset in the original .wasm, when the address map covers the address
 */
public record WasmFrame(FuncKey key, Optional<String> name, OptionalInt wasmOffset) {
  /** E.g. {@code fac (wasm[0]::function[1]) @ 0x3a}. */
  @Override
  public String toString() {
    String where = name.map(n -> n + " (" + key + ")").orElse(key.toString());
    return wasmOffset.isPresent() ? where + " @ 0x" + Integer.toHexString(wasmOffset.getAsInt()) : where;
  }

  /** Whether the frame is in a function defined by the module (not a trampoline or builtin). */
  public boolean isWasmFunction() {
    return key.kind() == FuncKeyKind.DEFINED_WASM_FUNCTION;
  }
}
