/**
 * WASI preview1 (wasi_snapshot_preview1) as plain Java over a guest's linear memory. Each function
 * takes its wasm arguments and a {@link java.lang.foreign.MemorySegment} view of the memory fetched
 * per call (memory.grow can replace it) and returns the errno, so the functions are independent of
 * how host functions are wired and are unit-tested directly against heap segments. {@link
 * dev.kiln.wasi.WasiConfig} says what the guest is given (args, env, streams, preopened
 * directories), {@link dev.kiln.wasi.WasiPreview1} holds one guest's state and the function
 * families, {@link dev.kiln.wasi.WasiFunction} is the import table a binding walks, and {@link
 * dev.kiln.wasi.ProcExit} is how proc_exit ends the execution. The file-system sandbox is {@link
 * dev.kiln.wasi.fs.PathResolution}; guest memory is read through {@link
 * dev.kiln.wasi.abi.GuestMemory}'s read-once rule; {@link dev.kiln.wasi.StoreDeadline} ends a wait
 * at the calling store's epoch deadline.
 */
package dev.kiln.wasi;
