package dev.kiln.wasi.abi;

/**
 * The {@code rights} flags (u64) of wasi_snapshot_preview1's typenames.witx, bit n for the n-th
 * flag. A descriptor carries a base set (what it may do) and an inheriting set (what descriptors
 * opened through it may get); an operation lacking its right fails with {@link Errno#NOTCAPABLE}.
 */
public enum Rights {
  FD_DATASYNC, FD_READ, FD_SEEK, FD_FDSTAT_SET_FLAGS, FD_SYNC, FD_TELL, FD_WRITE, FD_ADVISE,
  FD_ALLOCATE, PATH_CREATE_DIRECTORY, PATH_CREATE_FILE, PATH_LINK_SOURCE, PATH_LINK_TARGET,
  PATH_OPEN, FD_READDIR, PATH_READLINK, PATH_RENAME_SOURCE, PATH_RENAME_TARGET, PATH_FILESTAT_GET,
  PATH_FILESTAT_SET_SIZE, PATH_FILESTAT_SET_TIMES, FD_FILESTAT_GET, FD_FILESTAT_SET_SIZE,
  FD_FILESTAT_SET_TIMES, PATH_SYMLINK, PATH_REMOVE_DIRECTORY, PATH_UNLINK_FILE, POLL_FD_READWRITE,
  SOCK_SHUTDOWN, SOCK_ACCEPT;

  /** This right's bit. */
  public long bit() {
    return 1L << ordinal();
  }

  /** Every right the witx defines. */
  public static final long ALL = (1L << values().length) - 1;

  /** What a regular file descriptor can use (the fd_* rights that make sense on a file). */
  public static final long REGULAR_FILE =
      of(FD_DATASYNC, FD_READ, FD_SEEK, FD_FDSTAT_SET_FLAGS, FD_SYNC, FD_TELL, FD_WRITE, FD_ADVISE,
          FD_ALLOCATE, FD_FILESTAT_GET, FD_FILESTAT_SET_SIZE, FD_FILESTAT_SET_TIMES,
          POLL_FD_READWRITE);

  /** What a directory descriptor can use: path operations and readdir, no byte I/O. */
  public static final long DIRECTORY =
      of(FD_FDSTAT_SET_FLAGS, FD_SYNC, FD_ADVISE, PATH_CREATE_DIRECTORY, PATH_CREATE_FILE,
          PATH_LINK_SOURCE, PATH_LINK_TARGET, PATH_OPEN, FD_READDIR, PATH_READLINK,
          PATH_RENAME_SOURCE, PATH_RENAME_TARGET, PATH_FILESTAT_GET, PATH_FILESTAT_SET_SIZE,
          PATH_FILESTAT_SET_TIMES, FD_FILESTAT_GET, FD_FILESTAT_SET_TIMES, PATH_SYMLINK,
          PATH_REMOVE_DIRECTORY, PATH_UNLINK_FILE);

  /** What stdin/stdout/stderr can use (streams: no seek, no tell). */
  public static final long STREAM =
      of(FD_READ, FD_WRITE, FD_FDSTAT_SET_FLAGS, FD_SYNC, FD_DATASYNC, FD_FILESTAT_GET,
          POLL_FD_READWRITE);

  public static long of(Rights... rights) {
    long bits = 0;
    for (Rights r : rights) {
      bits |= r.bit();
    }
    return bits;
  }
}
