/**
 * The {@code kiln} command line: validate, compile, inspect, objdump, run, wast, cache.
 *
 * <p>Its code goes through the public API ({@code dev.kiln.runtime}) and the tools API exported to
 * it ({@code dev.kiln.runtime.tools}), besides the text format, WASI's command-line options, the
 * spec-script engine and the disassembler; {@code InternalImportsTest} keeps it so, and its tests
 * go through the same doors (tests that need Kiln's internals live in the modules that own them, or
 * in {@code tests}). The emulator is read so that AArch64 artifacts run on an x86-64 host (the loader
 * finds it as a service). The JDK's management API is read for a large compile's heap (the CLI's
 * {@code OldGenerationLimit}).
 */
module dev.kiln.cli {
  requires dev.kiln.wasm;
  requires dev.kiln.wat;
  requires dev.kiln.emulator;
  requires dev.kiln.disasm;
  requires dev.kiln.wasi;
  requires dev.kiln.runtime;
  requires dev.kiln.wast;
  requires java.management;
}
