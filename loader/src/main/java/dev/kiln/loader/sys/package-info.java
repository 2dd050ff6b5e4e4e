/**
 * The operating-system layer of the runtime, through the FFM API: page mappings and their
 * protection (reserve, commit, publish code as R|X), the calling thread's stack bounds, and the
 * process's SIGSEGV handler that turns faults in a memory's guard region into traps ({@link
 * dev.kiln.loader.sys.WasmFaults}). Nothing
 * else in Kiln calls libc directly; everything above speaks in {@link java.lang.foreign.MemorySegment}s.
 *
 * <p>Linux only for now (x86-64 and AArch64 hosts): the constants are Linux's, and the stack bounds
 * come from {@code pthread_getattr_np}, a GNU extension.
 */
package dev.kiln.loader.sys;
