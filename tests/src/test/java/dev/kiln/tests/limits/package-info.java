/**
 * Stopping a guest that does not stop by itself (issue 12 item 1): epoch interruption and fuel,
 * compiled in as {@code artifact.vm.ExecutionLimits} says, run natively on x86-64 and on the Unicorn
 * executor for AArch64, from Java ({@code loader.runtime.NativeStore}, {@code tests.support.Engine}) and from
 * {@code kiln run --timeout/--fuel}.
 */
package dev.kiln.tests.limits;
