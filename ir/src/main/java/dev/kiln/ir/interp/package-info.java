/**
 * A reference interpreter for the IR (integer and float operators), the oracle for tests that must not depend on
 * a backend: the SSA builder's and the passes' property tests (a function computes the same before
 * and after a pass) and the wasm translator's spec-suite test (translated IR computes what the
 * suite expects). Memory and calls go through an {@link dev.kiln.ir.interp.Interpreter.Environment}
 * the caller supplies, so one interpreter serves pure functions and whole simulated instances.
 */
package dev.kiln.ir.interp;
