/**
 * Kiln's SSA intermediate representation: typed values, blocks with parameters, an opcode set for
 * WebAssembly scalar semantics with explicit memory, trap and call forms, the SSA builder, the
 * verifier, the text printer and parser, and the optimisation passes. No dependencies.
 */
module dev.kiln.ir {
  exports dev.kiln.ir;
  exports dev.kiln.ir.analysis;
  exports dev.kiln.ir.builder;
  exports dev.kiln.ir.interp;
  exports dev.kiln.ir.pass;
  exports dev.kiln.ir.text;
  exports dev.kiln.ir.verify;
}
