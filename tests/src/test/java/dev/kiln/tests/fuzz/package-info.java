/**
 * Fuzzing: mutation fuzzing of decode and validate (every mutant loads or fails with one of the
 * taxonomy's exceptions), and differential fuzzing of the compiler and runtime, Kiln's two targets
 * against V8 on binaryen's generated modules and against binaryen's interpreter on WebAssembly 3.0
 * ones, each engine's run normalised to one comparable trace ({@link
 * dev.kiln.tests.fuzz.DifferentialHarness}).
 */
package dev.kiln.tests.fuzz;
