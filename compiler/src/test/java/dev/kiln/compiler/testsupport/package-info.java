/**
 * Fixtures of the compiler's tests that other modules' tests and {@code bench/run compile-shapes}
 * share, published in the compiler's test-jar: {@link dev.kiln.compiler.testsupport.StubBackend}
 * (hand-encoded x86-64 without the functions' meaning, so the driver, the linker, the artifact and
 * the commands that read artifacts are tested apart from a real backend) with its artifacts ({@link
 * dev.kiln.compiler.testsupport.StubArtifacts}), and valid modules shaped as an attacker would to make
 * the compiler do the most work per byte ({@link dev.kiln.compiler.testsupport.HostileShapes}, {@link
 * dev.kiln.compiler.testsupport.HandlerAndGcShapes}, {@link dev.kiln.compiler.testsupport.ModuleBulk}),
 * whose compiles the work-counting tests bound.
 */
package dev.kiln.compiler.testsupport;
