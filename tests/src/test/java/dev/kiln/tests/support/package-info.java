/**
 * What many test classes of this module share, so each harness exists once: where the corpora are
 * ({@link dev.kiln.tests.support.Corpora}), a module to a {@code .cwasm} for any backend
 * ({@link dev.kiln.tests.support.Artifacts}), an export's call or trap ({@link
 * dev.kiln.tests.support.Invocations}), a {@code kiln} command run in this JVM ({@link
 * dev.kiln.tests.support.KilnCommand}), and the operator oracle that runs exported one-operator
 * functions over edge values on a backend and compares each result with the IR reference
 * interpreter under the spec's NaN rules ({@link dev.kiln.tests.support.OperatorOracle}), and a
 * child JVM for scenarios that would kill the test JVM if they regressed ({@link
 * dev.kiln.tests.support.ForkedJvm}), and the WAT of many boxed reference locals that stay in frame
 * slots ({@link dev.kiln.tests.support.BoxedLocals}). {@link dev.kiln.tests.support.Engine} loads modules for the
 * loader-level tests with a configuration (code settings, verify key, epoch and fuel checks, a {@link
 * dev.kiln.tests.support.WasmCompiler}), as {@code dev.kiln.runtime.Engine} does for embedders: the
 * loader itself has no second API, only the packages Kiln's modules use.
 */
package dev.kiln.tests.support;
