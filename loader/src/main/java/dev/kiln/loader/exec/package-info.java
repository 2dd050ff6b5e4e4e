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
 *   <li>An executor of another instruction set, from an {@link
 *       dev.kiln.loader.exec.spi.ExecutorProvider} found through {@link java.util.ServiceLoader}:
 *       module {@code dev.kiln.emulator} provides AArch64 code on an x86-64 host in Unicorn 2. The
 *       loader imports nothing of it, so a deployment that runs only its host's code leaves its jar
 *       out.
 *   <li>{@link dev.kiln.loader.exec.Executors}: which executor runs a target on this host ({@link
 *       dev.kiln.loader.exec.HostTarget}: the host's own instruction set), why none does when only a
 *       jar or a library is missing, and the notice that code was written (icache maintenance
 *       natively, the provider's {@code codeWritten} for an emulated target).
 * </ul>
 *
 * <p>A store owns one executor per target it runs ({@code runtime.NativeStore#executorFor}); this package
 * knows nothing of stores beyond the store-context layout in {@code artifact.vm}.
 */
package dev.kiln.loader.exec;
