/**
 * Kiln's wasm calling convention on x86-64 and the code at its edges: prologues and epilogues with
 * the stack-limit check, the ARRAY_TO_WASM trampoline that enters wasm from the host, the trap
 * stub that leaves it (docs/ARCHITECTURE.md section 4), and the WASM_TO_BUILTIN trampolines ({@link
 * dev.kiln.codegen.x64.abi.BuiltinTrampoline}) through which wasm calls the loader's C-ABI builtins. Lowering and the translator code against the
 * constants here; the loader against {@link dev.kiln.artifact.vm.StoreLayout}.
 *
 * <h2>The convention ({@link dev.kiln.codegen.x64.abi.WasmCallConv})</h2>
 *
 * <p>Which value goes to which register, stack slot or return-area slot is the ISA-neutral rule of
 * {@link dev.kiln.codegen.abi.WasmCallAssignment}, shared with the other ISA; this package names
 * the registers.
 *
 * <ul>
 *   <li>The same for direct and indirect calls. Parameters: callee vmctx in rdi, caller vmctx in
 *       rsi; then, only when the results overflow the result registers, the return-area pointer in
 *       rdx; then the wasm parameters, integers and references in the remaining of rdi, rsi, rdx,
 *       rcx, r8, r9, floats and v128 in xmm0-xmm7, each class in order; the rest on the stack at
 *       the caller's rsp + 0 upwards in parameter order, 8-byte slots (16-byte, 16-aligned for
 *       v128). An i32 or f32 occupies the low bits; the upper bits are undefined.
 *   <li>Results: integers in rax then rdx, floats in xmm0 then xmm1; further results in the return
 *       area, in result order, 8-byte slots (16 for v128). The caller allocates the return area and the
 *       stack-argument area in its own frame; the callee pops the stack arguments ({@code ret $n}) and
 *       the caller moves rsp back down after the call ({@link dev.kiln.codegen.abi.ArgumentArea}).
 *   <li>Callee-saved: rbx, rbp, r12-r15 (as in the System V psABI, table 3.4). Caller-saved: rax,
 *       rcx, rdx, rsi, rdi, r8-r11, xmm0-xmm15. r10 and r11 carry no parameter; prologues use them.
 *   <li>rsp is 16-aligned at every call instruction; rbp is always the frame pointer.
 * </ul>
 *
 * <h2>A wasm frame</h2>
 *
 * <pre>
 *   higher addresses
 *   | stack argument k        |  rbp + 16 + growth + offset(k)   (the caller's outgoing area;
 *   | grown part of the area  |  rbp + 16   growth bytes for tail callees, ArgumentArea; popped by ret)
 *   | return address          |  rbp + 8
 *   | caller's rbp            |  rbp + 0   &lt;- rbp: the chain the trap stub and profilers walk
 *   | saved rbx/r12-r15 used  |  rbp - 8 ...
 *   | spill slots             |
 *   | return areas            |
 *   | outgoing stack args     |  rsp + 0   (16-aligned)
 *   lower addresses: checked against store_context.stack_limit before the frame is built
 * </pre>
 *
 * <h2>Traps</h2>
 *
 * A trapping condition in a function body branches to an out-of-line site of its own, a {@code call}
 * to a block per trap reason that sets the code and jumps on ({@code
 * FunctionEmission.emitTrapSites}), so the return address names the trapping wasm instruction;
 * prologue and trampoline traps call from a block of their own ({@link
 * dev.kiln.codegen.x64.abi.FrameEmitter#emitTrapBlock}). Both reach the shared {@link
 * dev.kiln.codegen.x64.abi.TrapStub} with {@code (vmctx, -, trap code)}: it stores code, return
 * address and rbp in the store context, resets rsp to the innermost entry's saved SP and leaves
 * through that entry's exit with {@code false}. Only wasm frames may lie between the two. {@link
 * dev.kiln.codegen.x64.abi.UnsupportedFunctionStub} is a whole function made of such a block: it
 * stands in for a function the compiler refused, when asked to, and raises {@code UNSUPPORTED}.
 */
package dev.kiln.codegen.x64.abi;
