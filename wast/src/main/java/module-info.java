/**
 * The spec-script engine: runs WebAssembly spec test scripts ({@code .wast}) against Kiln and
 * reports each command's outcome. Kept out of the CLI (which only gives it a command line, {@code
 * kiln wast}) because it is test machinery: the {@code tests} module's spec suite drives the same
 * engine directly.
 *
 * <p>Its package is exported only to the CLI; the {@code tests} module reads it from the class path.
 * The CLI is absent when this module is compiled alone, hence the {@code module} lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.wast {
  requires dev.kiln.wasm;
  requires dev.kiln.wat;
  requires dev.kiln.compiler;
  requires dev.kiln.codegen.x64;
  requires dev.kiln.codegen.aarch64;
  requires dev.kiln.loader;

  exports dev.kiln.wast to dev.kiln.cli;
}
