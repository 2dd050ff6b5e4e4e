/**
 * Kiln's x86-64 back end, one folder per layer as Cranelift's {@code isa/x64} is laid out:
 *
 * <ul>
 *   <li>{@code asm}: the encoder, table-driven per instruction family, and an AT&amp;T printer that
 *       matches Capstone (Intel SDM Vol. 2, chapter 2 for the format);
 *   <li>{@code abi}: Kiln's wasm calling convention, frames and the fixed code every artifact holds
 *       (host-entry and builtin trampolines, the trap handler);
 *   <li>{@code lower}: IR to machine instructions on virtual registers;
 *   <li>{@code emit}: register allocation, frame layout and encoding into a code buffer.
 * </ul>
 *
 * {@link dev.kiln.codegen.x64.X64Backend} ties them together behind the ISA-neutral
 * {@link dev.kiln.codegen.Backend} the compiler calls.
 */
package dev.kiln.codegen.x64;
