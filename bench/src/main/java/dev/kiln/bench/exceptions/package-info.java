/**
 * {@code bench/run exceptions}: the WebAssembly 3.0 exception-handling benchmarks of issue 38 (a
 * throw caught in the same function, a throw 10 frames below its {@code try_table}, and the cost
 * of a {@code try_table} that catches nothing), written in wasm text under {@code bench/exceptions/},
 * run on Kiln and its peers (Wasmtime 49 through wasmtime-py, Node's V8 when it runs exnref) in one
 * run, every engine's result checked against the value the program must return.
 */
package dev.kiln.bench.exceptions;
