/**
 * The wasi_snapshot_preview1 ABI as data: errno values, rights, file types, struct layouts and flag
 * bits from typenames.witx, and {@link dev.kiln.wasi.abi.GuestMemory}, the bounds-checked
 * little-endian view of guest memory every function reads its arguments through, once each (an
 * iovec array as a {@link dev.kiln.wasi.abi.GuestIovecs} copy; the memory's host address only
 * through it). Nothing here does I/O; it is what the witx says, kept apart so the functions read as
 * behaviour.
 */
package dev.kiln.wasi.abi;
