/**
 * The compiler driver (docs/ARCHITECTURE.md section 2): from a validated module and a {@link
 * dev.kiln.codegen.Backend} to a {@code .cwasm}. {@link dev.kiln.compiler.driver.Compiler} translates
 * and compiles every defined function on a bounded pool of threads (largest functions first, output
 * independent of the thread count; {@link dev.kiln.compiler.driver.CompileProgress} hears of each one
 * finished) and adds the trampolines the loader needs; {@link dev.kiln.compiler.driver.ArtifactEmitter} links the result and writes the
 * artifact's sections. The backend is a parameter, never a dependency: the command line picks the
 * ISA, so this module builds without any ISA module.
 */
package dev.kiln.compiler.driver;
