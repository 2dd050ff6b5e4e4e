/**
 * Kiln embedded in a Java program through the public API alone ({@code dev.kiln.runtime}): a module
 * calling back into Java ({@link example.HostCallback}) and a WASI program with its output captured
 * ({@link example.WasiProgram}). A Maven project of its own (examples/README.md).
 */
package example;
