/**
 * {@code kiln-maven-plugin}: a WebAssembly module compiled at build time, for every target a jar
 * should run on, and a Java class generated to call it. Kiln compiles to both of its instruction
 * sets from any machine with no native toolchain, so the build packs each target's {@code .cwasm}
 * beside the class; at run time the host's is checked and mapped ({@code
 * WasmModule.fromClassPath}), and the class's methods call the exports with Java primitives through
 * {@code DirectCall}s resolved once.
 *
 * <p>One job per class: {@link dev.kiln.maven.CompileMojo} is the Maven glue; {@link
 * dev.kiln.maven.ModuleBuild} reads the module, decides from its {@link dev.kiln.maven.BuildStamp}
 * whether anything must be redone, compiles and writes; {@link dev.kiln.maven.BindingWriter} writes
 * the class's source from the module's imports and exports, naming things through {@link
 * dev.kiln.maven.JavaNames}. Everything here uses Kiln's public API ({@code dev.kiln.runtime}) and
 * its text reader ({@code dev.kiln.wat}), as any tool built on Kiln would; the generated class uses
 * the public API only.
 */
package dev.kiln.maven;
