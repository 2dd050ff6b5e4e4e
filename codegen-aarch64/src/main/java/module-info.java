/**
 * Kiln's AArch64 backend, the same layers as codegen-x64 (Cranelift's one-folder-per-ISA split). The
 * assembler layer ({@code asm}): registers, validated immediates, the table of instruction forms,
 * the encoder into {@link dev.kiln.codegen.CodeBuffer} with its label uses and veneers, and a printer
 * whose text equals Capstone's. The ABI layer ({@code abi}): Kiln's wasm calling convention on
 * AAPCS64 registers, frames with the x29/x30 record chain and the stack-limit check, the
 * ARRAY_TO_WASM trampoline, builtin trampolines, the trap stub and the unsupported-function stub.
 * The compiler layer: instruction selection from IR into {@link dev.kiln.codegen.vcode.VCode}
 * ({@code lower}), register allocation, frames and encoding ({@code emit}), and {@code
 * AArch64Backend}, the {@code codegen.Backend} the compiler driver calls.
 *
 * <p>The name ends in digits because the package root is {@code dev.kiln.codegen.aarch64}
 * (docs/ARCHITECTURE.md section 1); javac's lint for that is suppressed here.
 *
 * <p>Its packages are exported only to the Kiln modules that use them ({@code exports ... to}):
 * embedders use the API module, {@code dev.kiln.runtime}, whose signatures name none of these types.
 * A module named there may be absent when this one is compiled alone, hence the {@code module}
 * lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.codegen.aarch64 {
  requires transitive dev.kiln.codegen;
  requires transitive dev.kiln.artifact;

  exports dev.kiln.codegen.aarch64 to dev.kiln.runtime, dev.kiln.wast;
}
