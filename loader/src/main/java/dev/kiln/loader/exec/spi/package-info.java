/**
 * The service provider interface through which the loader finds executors for instruction sets this
 * host does not run natively: {@link dev.kiln.loader.exec.spi.ExecutorProvider}, looked up with
 * {@link java.util.ServiceLoader} ({@code uses} in the loader's module descriptor, {@code provides}
 * in a provider's, or {@code META-INF/services} on the class path).
 *
 * <p>Why a service: the emulator that runs AArch64 code on an x86-64 host (module {@code
 * dev.kiln.emulator}, the {@code kiln-emulator} jar) is test and development machinery, and a
 * production deployment leaves it out. The loader imports nothing of it; when no provider serves an
 * artifact's target, the loader says which jar is missing ({@code loader.exec.Executors}).
 *
 * <p>The loader calls a provider in two places only: when a store needs an executor for a target
 * ({@code runtime.NativeStore#executorFor}), and when a load has written code of that target ({@code
 * ExecutorProvider#codeWritten}, the emulated counterpart of icache maintenance).
 */
package dev.kiln.loader.exec.spi;
