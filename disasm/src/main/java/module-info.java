/**
 * Disassembly of Kiln's machine code, the oracle of the encoders' tests and the engine of {@code kiln
 * objdump}: Capstone 4 through JNA (a system {@code libcapstone.so.4}, else the library bundled in
 * Maven Central's {@code com.github.zhkl0228:capstone}), and the pinned npm package of Capstone 5.0
 * compiled to WebAssembly for hosts where no native Capstone decodes the ISA. Tooling only: neither
 * the compiler nor the runtime depends on it.
 *
 * <p>Its package is exported only to the Kiln modules that use it; a module named there may be
 * absent when this one is compiled alone, hence the {@code module} lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.disasm {
  requires com.sun.jna;

  exports dev.kiln.disasm to dev.kiln.cli, dev.kiln.codegen.aarch64, dev.kiln.codegen.x64;
}
