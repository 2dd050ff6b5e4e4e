/**
 * The Linux system calls the WASI file system stands on, bound through the FFM API: openat2 and the
 * {@code *at} family, statx, readv/writev straight into guest memory, getdents64, and getrandom
 * for random_get ({@link dev.kiln.wasi.sys.KernelRandom}). Kept apart so the
 * rest of WASI speaks in descriptors and errnos, and so the one place that knows struct layouts,
 * flag values per architecture and errno numbers is small enough to check against the man pages.
 * Nothing here is exported: it is the implementation of {@link dev.kiln.wasi.fs} and of the default
 * random source.
 */
package dev.kiln.wasi.sys;
