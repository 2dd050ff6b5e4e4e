/**
 * Kiln's wasm calling convention on AArch64 and the code at its edges: prologues and epilogues with
 * the stack-limit check, the ARRAY_TO_WASM trampoline that enters wasm from the host, the trap stub
 * that leaves it (docs/ARCHITECTURE.md section 4), the WASM_TO_BUILTIN trampolines through which
 * wasm calls the loader's AAPCS64 builtins, and the stub of a refused function. Lowering codes
 * against the constants here; the loader against {@link dev.kiln.artifact.vm.StoreLayout}, exactly
 * as for x86-64 (the two ISAs share the store-context contract, not code).
 *
 * <h2>The convention ({@link dev.kiln.codegen.aarch64.abi.WasmCallConv})</h2>
 *
 * <p>Which value goes to which register, stack slot or return-area slot is the ISA-neutral rule of
 * {@link dev.kiln.codegen.abi.WasmCallAssignment}, shared with the other ISA; this package names
 * the registers.
 *
 * <ul>
 *   <li>The same for direct and indirect calls. Callee vmctx in x0, caller vmctx in x1; then, only
 *       when the results overflow the result registers, the return-area pointer in x2; then the
 *       wasm parameters, integers in the remaining of x0-x7, floats and v128 in v0-v7, each class
 *       in order; the rest on the stack at the caller's sp + 0 upwards, 8-byte slots (16-byte,
 *       16-aligned for v128). An i32 or f32 occupies the low bits; the upper bits are undefined.
 *   <li>Results: integers in x0 then x1, floats and v128 in v0 then v1; further results in the
 *       return area, 8-byte slots (16 for v128) in result order, allocated by the caller in its own
 *       frame. The callee pops its stack arguments ({@code add sp, sp, #n} before {@code ret}) and
 *       the caller moves sp back down after the call ({@link dev.kiln.codegen.abi.ArgumentArea}). (Trampolines move v128 values; the lowering does not compute with them yet.)
 *   <li>Callee-saved: x19-x28 and the frame record x29/x30 (AAPCS64 6.1.1). The backend allocates
 *       no v8-v15, whose low halves AAPCS64 makes callee-saved, so no FP register needs saving and
 *       a trap that skips epilogues leaves the host's FP registers intact. x16/x17 (IP0/IP1) carry
 *       nothing across instructions; x18 is never touched.
 *   <li>sp is 16-aligned at all times; x29 always points at the current frame record.
 * </ul>
 *
 * <h2>A wasm frame</h2>
 *
 * <pre>
 *   higher addresses
 *   | stack argument k        |  x29 + 16 + growth + offset(k)   (the caller's outgoing area;
 *   | grown part of the area  |  x29 + 16   growth bytes for tail callees, ArgumentArea; popped)
 *   | x30 (return address)    |  x29 + 8
 *   | caller's x29            |  x29 + 0   &lt;- x29: the chain the trap stub and profilers walk
 *   | saved x19-x28 pairs     |  x29 - 16 ...
 *   | spill slots             |
 *   | return areas            |
 *   | outgoing stack args     |  sp + 0   (16-aligned)
 *   lower addresses: checked against store_context.stack_limit before anything below the record
 * </pre>
 *
 * <h2>Traps</h2>
 *
 * A trapping condition branches to an out-of-line site of its own ({@code bl} to a block per trap
 * reason, which sets the code and branches on: {@code FunctionEmission.emitTrapSites}), so x30 names
 * the trapping wasm instruction, and reaches the shared {@link
 * dev.kiln.codegen.aarch64.abi.TrapStub} with {@code (vmctx, -, trap code)}: it stores code, return
 * address (x30) and x29 in the store context, resets sp to the innermost entry's saved SP and
 * leaves through that entry's exit with {@code false}. Prologue and trampoline traps call it from a
 * block of their own ({@link dev.kiln.codegen.aarch64.abi.FrameEmitter#emitTrapBlock}).
 */
package dev.kiln.codegen.aarch64.abi;
