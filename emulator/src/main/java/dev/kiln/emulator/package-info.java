/**
 * AArch64 code on an x86-64 host, in Unicorn 2 ({@code libunicorn.so.2} through FFM, {@link
 * dev.kiln.emulator.Unicorn}): the {@link dev.kiln.emulator.UnicornExecutor} is an executor as the
 * loader defines it ({@code loader.exec.Executor}), and {@link
 * dev.kiln.emulator.UnicornExecutorProvider} is how the loader finds it, as a service, without
 * importing this package: Kiln's emulator is machinery for testing both targets on one machine, and a
 * production deployment leaves its jar out.
 *
 * <p>Host memory is mapped into the guest at its own address ({@link dev.kiln.emulator.EmulatedCpu},
 * lazily, after asking {@link dev.kiln.emulator.HostMappings} what the host has mapped), so the
 * VMContext, memories and tables the loader writes are the ones the code reads; Java host functions
 * are reached through a stub page of {@code UDF}s whose code hook calls them and returns ({@link
 * dev.kiln.emulator.HostCallStubs}); code the loader writes is logged ({@link
 * dev.kiln.emulator.CodeWrites}) so that each engine drops stale translations before it runs again.
 */
package dev.kiln.emulator;
