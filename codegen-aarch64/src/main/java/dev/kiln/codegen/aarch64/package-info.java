/**
 * Kiln's AArch64 backend entry point, {@link dev.kiln.codegen.aarch64.AArch64Backend}, which the
 * compiler driver calls for {@code --target aarch64}. The layers below it mirror codegen-x64
 * package by package: {@code asm}, {@code abi}, {@code lower}, {@code emit}.
 */
package dev.kiln.codegen.aarch64;
