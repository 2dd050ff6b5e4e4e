/**
 * Kiln's ISA-neutral backend: the code buffer with labels, fix-ups, trap sites and relocations, the
 * register allocator, VCode and the ISA-neutral lowering and emission drivers, and the ISA-neutral rule
 * of the wasm calling convention. ISA modules (codegen-x64, codegen-aarch64) build on it. Disassembly,
 * which the encoders' tests check them with, is a module of its own ({@code dev.kiln.disasm}).
 *
 * <p>Its packages are exported only to the Kiln modules that use them ({@code exports ... to}):
 * embedders use the API module, {@code dev.kiln.runtime}, whose signatures name none of these types.
 * A module named there may be absent when this one is compiled alone, hence the {@code module}
 * lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.codegen {
  requires transitive dev.kiln.ir;
  requires transitive dev.kiln.artifact;

  exports dev.kiln.codegen to dev.kiln.codegen.aarch64, dev.kiln.codegen.x64, dev.kiln.compiler, dev.kiln.runtime, dev.kiln.wast;
  exports dev.kiln.codegen.abi to dev.kiln.codegen.aarch64, dev.kiln.codegen.x64, dev.kiln.compiler;
  exports dev.kiln.codegen.emit to dev.kiln.codegen.aarch64, dev.kiln.codegen.x64;
  exports dev.kiln.codegen.lower to dev.kiln.codegen.aarch64, dev.kiln.codegen.x64, dev.kiln.runtime;
  exports dev.kiln.codegen.regalloc to dev.kiln.runtime, dev.kiln.codegen.aarch64, dev.kiln.codegen.x64, dev.kiln.compiler;
  exports dev.kiln.codegen.vcode to dev.kiln.codegen.aarch64, dev.kiln.codegen.x64;
}
