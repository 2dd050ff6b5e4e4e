/**
 * Executors: what runs compiled code of one target. The runtime (store, instances, traps, value
 * arrays) is one and the same whichever executor runs the instructions (docs/ARCHITECTURE.md
 * section 4, last bullet); an executor only enters code through the array calling convention, gives
 * compiled code addresses it can call with its target's C ABI for Java host functions and native
 * helpers (memmove, memset), says which stack an entry runs on, and keeps instruction fetch
 * coherent with code the loader wrote.
 *
 * <ul>
 *   <li>{@link dev.kiln.loader.exec.NativeExecutor}: the host's own instruction set, with FFM
 *       downcalls and upcall stubs; {@code __clear_cache} after code is written on an AArch64 host.
 *   <li>{@link dev.kiln.loader.exec.UnicornExecutor}: AArch64 code on an x86-64 host, in Unicorn 2
 *       ({@code libunicorn.so.2} through FFM, {@link dev.kiln.loader.exec.Unicorn}). Host memory is
 *       mapped into the guest at its own address ({@link dev.kiln.loader.exec.EmulatedCpu}), so the
 *       VMContext, memories and tables the loader writes are the ones the code reads; Java host
 *       functions are reached through a stub page of {@code RET}s whose code hook calls them
 *       ({@link dev.kiln.loader.exec.HostCallStubs}).
 *   <li>{@link dev.kiln.loader.exec.Executors}: which executor runs a target on this host ({@link
 *       dev.kiln.loader.exec.HostTarget}: the host's own instruction set), and the notice that code
 *       was written ({@link dev.kiln.loader.exec.CodeWrites} for the emulator).
 * </ul>
 *
 * <p>A store owns one executor per target it runs ({@code runtime.Store#executorFor}); this package
 * knows nothing of stores beyond the store-context layout in {@code artifact.vm}.
 */
package dev.kiln.loader.exec;
