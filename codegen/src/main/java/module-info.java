/**
 * Kiln's ISA-neutral backend: the code buffer with labels, fix-ups, trap sites and relocations, and the
 * disassembler binding used by encoder tests and {@code kiln objdump}, the register allocator, VCode and
 * the ISA-neutral lowering and emission drivers. ISA modules (codegen-x64, codegen-aarch64) build on it. Capstone is reached through the FFM API, so code that disassembles needs
 * native access ({@code --enable-native-access=dev.kiln.codegen}).
 */
module dev.kiln.codegen {
  requires transitive dev.kiln.ir;
  requires transitive dev.kiln.artifact;

  exports dev.kiln.codegen;
  exports dev.kiln.codegen.disasm;
  exports dev.kiln.codegen.emit;
  exports dev.kiln.codegen.lower;
  exports dev.kiln.codegen.regalloc;
  exports dev.kiln.codegen.vcode;
}
