/**
 * {@code bench/run gc}: the three WebAssembly GC benchmarks of issue 39 (allocation throughput,
 * casts, collections with about 100 MB live), written in wasm text under {@code bench/gc/}, run on
 * Kiln and its peers (Wasmtime 49 through wasmtime-py, Node's V8 when it runs standard wasm GC) in
 * one run, every engine's result checked against the value the program must return. It lives
 * apart from the sightglass runner because these programs return a check value from an export
 * instead of writing WASI output, and the peers are driven by their own small scripts
 * ({@code bench/peers/wasmtime-export.py}, {@code bench/peers/node-export.mjs}).
 */
package dev.kiln.bench.gc;
