/**
 * The guest's view of files: the descriptor table, the three kinds of descriptor (stream, regular
 * file, directory), and the sandbox rule. A directory descriptor holds an open host directory, and
 * every guest path is resolved beneath it by {@link dev.kiln.wasi.fs.PathResolution} (the kernel's
 * openat2 RESOLVE_BENEATH, or a component walk on old kernels), never as a host path string; calls
 * on a name itself get the opened directory part plus one plain name ({@link
 * dev.kiln.wasi.fs.GuestPath}). Host status as a witx filestat, directory listings and timestamps
 * live here too, and how a descriptor waits: {@link dev.kiln.wasi.fs.WaitLimit}, the deadline a
 * blocking call checks between slices of its wait, and {@link dev.kiln.wasi.fs.WaitableInput}, an
 * embedder's stream read so that the deadline can end the wait (a stream descriptor of {@code
 * dev.kiln.wasi.ProcessOutput} writes to the process's own descriptor for the same reason). The sandbox model is written down
 * in docs/WASI-SANDBOX.md.
 */
package dev.kiln.wasi.fs;
