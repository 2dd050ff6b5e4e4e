/**
 * Kiln's x86-64 backend. The assembler layer ({@code asm}, {@code asm.forms}): registers, addressing
 * modes, the table of instruction forms (one file per family), the encoder into {@link
 * dev.kiln.codegen.CodeBuffer} and an AT&amp;T printer that matches Capstone's output. The ABI layer
 * ({@code abi}): the wasm calling convention, prologues with the stack-limit check, the
 * ARRAY_TO_WASM trampoline and the trap stub, coded against {@code artifact.vm}'s layouts. The
 * compiler layer: instruction selection from IR into VCode on virtual registers ({@code lower}),
 * register allocation, frames and encoding into a {@code CompiledFunction} ({@code emit}), and
 * {@code X64Backend}, the {@code codegen.Backend} the compiler driver calls.
 *
 * <p>The name ends in digits because the package root is {@code dev.kiln.codegen.x64}
 * (docs/ARCHITECTURE.md section 1); javac's lint for that is suppressed here.
 *
 * <p>Its packages are exported only to the Kiln modules that use them ({@code exports ... to}):
 * embedders use the API module, {@code dev.kiln.runtime}, whose signatures name none of these types.
 * A module named there may be absent when this one is compiled alone, hence the {@code module}
 * lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.codegen.x64 {
  requires transitive dev.kiln.codegen;
  requires transitive dev.kiln.artifact;

  exports dev.kiln.codegen.x64 to dev.kiln.runtime, dev.kiln.wast;
  exports dev.kiln.codegen.x64.emit to dev.kiln.runtime;
  exports dev.kiln.codegen.x64.lower to dev.kiln.runtime, dev.kiln.wast;
}
