/**
 * WASI guests end to end: compiled wasm programs calling the WASI host functions through `kiln run`
 * and the public API, natively on x86-64 and on the Unicorn executor for AArch64, so what the wasi
 * module promises (above all its sandbox) is checked where a real guest meets it; and the official
 * WASI preview1 testsuite, its programs and JSON expectations, so the default test run holds Kiln
 * to that suite whole.
 */
package dev.kiln.tests.wasi;
