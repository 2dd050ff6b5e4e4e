/**
 * What only Kiln's own tools need from the runtime module (the {@code kiln} command line, the
 * benchmarks): a compile's report (functions, dropped functions, code size, the register
 * allocator's moves) and progress, its split into phases, a look inside a {@code .cwasm} for {@code
 * kiln inspect} and {@code kiln objdump}, the rules for the files a command line names ({@link
 * dev.kiln.runtime.tools.CommandLineFiles}), and the start-up warm-up of {@code kiln run}.
 *
 * <p>Why it is not the public API ({@code dev.kiln.runtime}): these describe how Kiln works inside
 * (an artifact's sections and tables, compiler phases, FFM bindings), which changes with the
 * compiler and the artifact format; an embedder has no use for them and should not come to depend
 * on them. The module exports this package only to the tool modules ({@code exports ... to}), and
 * its types name only the JDK's and the public API's, so a tool reaches nothing internal through it
 * (one exception: {@link dev.kiln.runtime.tools.CompilePhases#measure} takes the compiler's backend
 * and options, for the benchmarks, which compare backends; the CLI calls {@link
 * dev.kiln.runtime.tools.Compilations#phases} instead).
 * Everything a user of the API needs as well (typed calls, WASI, limits, the cache, epoch and fuel,
 * targets, signing keys) is in the public API, which the tools use as any embedder does.
 */
package dev.kiln.runtime.tools;
