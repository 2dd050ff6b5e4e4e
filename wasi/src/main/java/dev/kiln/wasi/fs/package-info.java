/**
 * The guest's view of files: the descriptor table, the three kinds of descriptor (stream, regular
 * file, directory), the {@link dev.kiln.wasi.fs.Sandbox} that resolves guest paths inside a
 * preopened directory without letting ".." or symbolic links lead out of it, host file status as a
 * witx filestat, and the mapping of host I/O failures to errnos. Kept apart from the functions so
 * the sandbox rule lives in one class that can be read and tested on its own.
 */
package dev.kiln.wasi.fs;
