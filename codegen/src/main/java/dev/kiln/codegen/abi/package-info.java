/**
 * Kiln's wasm calling convention, decided once for both ISAs (docs/ARCHITECTURE.md section 4): which
 * wasm parameter or result goes to the n-th integer or float register, which to a stack-argument
 * slot and which to the caller's return area, and how large those areas are ({@link
 * dev.kiln.codegen.abi.WasmCallAssignment}); the same rule on an ISA's own registers ({@link
 * dev.kiln.codegen.abi.CallConvention}, giving a {@link dev.kiln.codegen.abi.CallLayout} of {@link
 * dev.kiln.codegen.abi.ValueLocation}s, generic over the ISA's register types). Each ISA's {@code
 * abi.WasmCallConv} only names its registers (System V AMD64 on x86-64, AAPCS64 on AArch64), so the
 * two backends cannot pass the same signature differently. Who pops the stack arguments (the callee)
 * and how a tail call places its callee's in the argument area is decided here too ({@link
 * dev.kiln.codegen.abi.ArgumentArea}, part of a {@link dev.kiln.codegen.abi.Frame}), and so is the
 * order of a prologue's steps ({@link dev.kiln.codegen.abi.FramePrologue}); each ISA only chooses
 * the instructions. So is the code a backend emits beside the wasm functions: each stub, trampoline
 * and handler is the ISA's generator run into a fresh buffer, a trampoline's signature laid out in
 * the ISA's convention ({@link dev.kiln.codegen.abi.IsaBackend}, whose {@code FixedCode} each ISA's
 * backend fills with its {@code abi} package's generators).
 */
package dev.kiln.codegen.abi;
