/**
 * Kiln's SSA intermediate representation: typed values, blocks with parameters, an opcode set for
 * WebAssembly scalar semantics with explicit memory, trap and call forms, the SSA builder, the
 * verifier, the text printer and parser, the optimisation passes and the mechanics of inlining a
 * call. It depends only on the deadline its passes poll (dev.kiln.deadline).
 *
 * <p>Its packages are exported only to the Kiln modules that use them ({@code exports ... to}):
 * embedders use the API module, {@code dev.kiln.runtime}, whose signatures name none of these types.
 * A module named there may be absent when this one is compiled alone, hence the {@code module}
 * lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.ir {
  requires transitive dev.kiln.deadline;

  exports dev.kiln.ir to dev.kiln.runtime, dev.kiln.codegen, dev.kiln.codegen.aarch64, dev.kiln.codegen.x64, dev.kiln.compiler;
  exports dev.kiln.ir.analysis to dev.kiln.compiler, dev.kiln.codegen;
  exports dev.kiln.ir.builder to dev.kiln.compiler;
  exports dev.kiln.ir.inline to dev.kiln.compiler;
  exports dev.kiln.ir.interp to dev.kiln.compiler;
  exports dev.kiln.ir.pass to dev.kiln.compiler;
  exports dev.kiln.ir.text to dev.kiln.codegen, dev.kiln.codegen.aarch64, dev.kiln.codegen.x64, dev.kiln.compiler;
  exports dev.kiln.ir.verify to dev.kiln.compiler;
}
