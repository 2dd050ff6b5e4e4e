/**
 * The sightglass runner ({@code bench/run sightglass}): every program of the sightglass corpus on
 * Kiln, on wasmtime-java (Wasmtime 7, Cranelift) and on Node's V8 in one run, each program and
 * engine in a process of its own with its inputs in a scratch folder preopened as ".", outputs
 * checked line by line against the expected files, and compile, instantiate and
 * bench.start-to-bench.end times reported. {@link dev.kiln.bench.sightglass.SightglassRunner} drives;
 * {@link dev.kiln.bench.sightglass.KilnProgramRun} and {@link
 * dev.kiln.bench.sightglass.WasmtimeJavaProgramRun} are the per-program processes; Node runs the
 * corpus's own run-node.mjs.
 */
package dev.kiln.bench.sightglass;
