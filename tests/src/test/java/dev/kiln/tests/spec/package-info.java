/**
 * The WebAssembly spec test suites, run by the same engine as {@code kiln wast}: WebAssembly 2.0's
 * ({@link dev.kiln.tests.spec.SpecSuiteTest}) and 3.0's ({@link dev.kiln.tests.spec.Wasm3SpecSuiteTest})
 * on x86-64 and AArch64, each script held to {@link dev.kiln.tests.spec.SpecExpectations}: no failure,
 * and no skip but the should-fail list's entries.
 */
package dev.kiln.tests.spec;
