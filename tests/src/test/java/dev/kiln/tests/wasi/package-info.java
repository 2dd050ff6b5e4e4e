/**
 * WASI guests end to end: compiled wasm programs calling the WASI host functions through `kiln run`,
 * natively on x86-64 and on the Unicorn executor for AArch64, so what the wasi module promises
 * (above all its sandbox) is checked where a real guest meets it.
 */
package dev.kiln.tests.wasi;
