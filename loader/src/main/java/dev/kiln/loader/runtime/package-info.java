/**
 * Running compiled code: the {@link dev.kiln.loader.runtime.Store} whose native context compiled
 * code reads its stack limit from and writes trap state into, and which owns the executor of each
 * target its instances run ({@code loader.exec}: natively, or AArch64 on the Unicorn emulator); the
 * {@link dev.kiln.loader.runtime.EntryInvoker} that checks an entry through an ARRAY_TO_WASM
 * trampoline and has the executor run it; the {@link dev.kiln.loader.runtime.ValRaw} slots
 * arguments and results travel in; and {@link dev.kiln.loader.runtime.Trap}, the exception a
 * trapping call becomes. Traps use no signals (the JVM owns them): compiled code checks explicitly
 * and unwinds through the trap stub to the innermost entry, which returns {@code false}
 * (ARCHITECTURE.md section 4), on either executor. The {@link dev.kiln.loader.runtime.Epoch} is the
 * counter code compiled with epoch interruption compares with its store's deadline; the store also
 * holds the fuel of code compiled with fuel metering ({@code artifact.vm.ExecutionLimits}).
 */
package dev.kiln.loader.runtime;
