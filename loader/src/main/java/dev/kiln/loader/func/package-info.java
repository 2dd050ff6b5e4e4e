/**
 * Functions as the runtime passes them around (WebAssembly 2.0 section 4.2.6): {@link
 * dev.kiln.loader.func.FunctionInstance}, a VMFuncRef {@code {array_call, wasm_call, type_id,
 * vmctx}} and its type, wherever the record lives (an instance's VMContext, a host function's own
 * memory); calls from Java through the ARRAY_TO_WASM trampoline; the import record and funcref an
 * importer writes for it.
 *
 * <p>A wasm function and a host function are the same thing here: a host function's Java body is
 * only a {@link dev.kiln.loader.func.FunctionInstance.HostBody} for calls from Java, so this
 * package depends only on {@code runtime}, and the host functions ({@code loader.host}) depend on
 * it, not the other way round.
 */
package dev.kiln.loader.func;
