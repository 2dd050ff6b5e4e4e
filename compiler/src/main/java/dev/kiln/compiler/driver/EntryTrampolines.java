package dev.kiln.compiler.driver;

import dev.kiln.artifact.FuncKey;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.ir.Signature;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The array-to-wasm trampolines of one compile: the backend emits one per signature, and every
 * other callee of that signature gets a copy with its call retargeted. A trampoline's code depends
 * on its signature alone ({@link Backend#arrayToWasmTrampoline}), so the artifact is the same; emitting
 * one per escaping function was 5% of the compile of a module of 200,000 exported empty functions.
 * Safe for the compile's worker threads to share.
 */
final class EntryTrampolines {
  /** A signature's trampoline and the callee it was emitted for. */
  private record Emitted(long callee, CompiledFunction trampoline) {}

  private final Backend backend;
  private final ConcurrentHashMap<Signature, Emitted> bySignature = new ConcurrentHashMap<>();

  EntryTrampolines(Backend backend) {
    this.backend = backend;
  }

  /** The trampoline from the host into {@code callee}, of {@code signature}. */
  CompiledFunction into(Signature signature, FuncKey callee) {
    Emitted emitted = bySignature.computeIfAbsent(signature,
        s -> new Emitted(callee.raw(), backend.arrayToWasmTrampoline(s, callee)));
    return emitted.callee() == callee.raw() ? emitted.trampoline()
        : emitted.trampoline().retargeted(emitted.callee(), callee.raw());
  }
}
