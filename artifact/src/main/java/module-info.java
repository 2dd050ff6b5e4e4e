/**
 * The contract between Kiln's compiler and its loader: {@code FuncKey}, the function index, trap
 * table, address map, compatibility header, the ELF64 {@code .cwasm} container and its seal. It
 * depends only on the WebAssembly type model ({@code dev.kiln.wasm.types}: module info carries a
 * module's precise types, which the loader canonicalises with the same code as validation), never
 * on the compiler (docs/ARCHITECTURE.md section 1), so the loader can run an artifact without it. {@code dev.kiln.artifact.internal} (little-endian byte helpers) is deliberately not
 * exported.
 *
 * <p>Its packages are exported only to the Kiln modules that use them ({@code exports ... to}):
 * embedders use the API module, {@code dev.kiln.runtime}, whose signatures name none of these types.
 * A module named there may be absent when this one is compiled alone, hence the {@code module}
 * lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.artifact {
  requires transitive dev.kiln.deadline;
  requires transitive dev.kiln.wasm;

  exports dev.kiln.artifact to dev.kiln.cache, dev.kiln.codegen, dev.kiln.codegen.aarch64, dev.kiln.codegen.x64, dev.kiln.compiler, dev.kiln.emulator, dev.kiln.loader, dev.kiln.runtime, dev.kiln.wasi, dev.kiln.wast;
  exports dev.kiln.artifact.compat to dev.kiln.cache, dev.kiln.codegen.x64, dev.kiln.compiler, dev.kiln.loader, dev.kiln.runtime, dev.kiln.wast;
  exports dev.kiln.artifact.elf to dev.kiln.cache, dev.kiln.compiler, dev.kiln.loader, dev.kiln.runtime;
  exports dev.kiln.artifact.index to dev.kiln.compiler, dev.kiln.loader, dev.kiln.runtime;
  exports dev.kiln.artifact.gc to dev.kiln.compiler, dev.kiln.loader, dev.kiln.wast;
  exports dev.kiln.artifact.info to dev.kiln.compiler, dev.kiln.loader, dev.kiln.runtime, dev.kiln.wasi, dev.kiln.wast;
  exports dev.kiln.artifact.seal to dev.kiln.cache, dev.kiln.loader, dev.kiln.runtime;
  exports dev.kiln.artifact.tables to dev.kiln.codegen, dev.kiln.codegen.aarch64, dev.kiln.codegen.x64, dev.kiln.compiler, dev.kiln.emulator, dev.kiln.loader, dev.kiln.runtime, dev.kiln.wast;
  exports dev.kiln.artifact.vm to dev.kiln.cache, dev.kiln.codegen, dev.kiln.codegen.aarch64, dev.kiln.codegen.x64, dev.kiln.compiler, dev.kiln.emulator, dev.kiln.loader, dev.kiln.runtime, dev.kiln.wast;
}
