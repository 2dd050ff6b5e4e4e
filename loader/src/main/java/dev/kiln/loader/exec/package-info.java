/**
 * Executors: what runs compiled code of one target. The runtime (store, instances, traps, value
 * arrays) is one and the same whichever executor runs the instructions (ARCHITECTURE.md section 4,
 * last bullet); an executor only enters code through the array calling convention, gives compiled
 * code addresses it can call with its target's C ABI for Java host functions and native helpers,
 * says which stack an entry runs on, and keeps instruction caches coherent with code the loader
 * wrote. {@link dev.kiln.loader.exec.NativeExecutor} runs the host's own instruction set with FFM;
 * {@link dev.kiln.loader.exec.Executors} picks the executor for an artifact's target.
 */
package dev.kiln.loader.exec;
