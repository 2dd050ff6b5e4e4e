/**
 * The contract between Kiln's compiler and its loader: {@code FuncKey}, the function index, trap
 * table, address map, compatibility header, the ELF64 {@code .cwasm} container and its seal. It has no
 * dependencies (ARCHITECTURE.md section 1) so the loader can run an artifact without the compiler.
 * {@code dev.kiln.artifact.internal} (little-endian byte helpers) is deliberately not exported.
 */
module dev.kiln.artifact {
  exports dev.kiln.artifact;
  exports dev.kiln.artifact.index;
  exports dev.kiln.artifact.tables;
  exports dev.kiln.artifact.compat;
  exports dev.kiln.artifact.elf;
  exports dev.kiln.artifact.vm;
  exports dev.kiln.artifact.info;
  exports dev.kiln.artifact.seal;
}
