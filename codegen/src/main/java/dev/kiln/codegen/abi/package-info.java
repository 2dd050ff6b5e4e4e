/**
 * The ISA-neutral rule of Kiln's wasm calling convention (docs/ARCHITECTURE.md section 4): which
 * wasm parameter or result goes to the n-th integer or float register, which to a stack-argument
 * slot and which to the caller's return area, and how large those areas are. Each ISA's {@code
 * abi.WasmCallConv} names the registers (System V AMD64 on x86-64, AAPCS64 on AArch64) and turns
 * {@link dev.kiln.codegen.abi.WasmCallAssignment}'s slots into its own locations; the rule itself is
 * decided here once, so the two backends cannot pass the same signature differently.
 */
package dev.kiln.codegen.abi;
