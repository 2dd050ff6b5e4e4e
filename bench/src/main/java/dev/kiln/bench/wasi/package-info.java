/**
 * Benchmarks of the WASI host functions: the cost of file-system calls as a guest makes them,
 * without the guest's code around them (bench/run wasi-files).
 */
package dev.kiln.bench.wasi;
