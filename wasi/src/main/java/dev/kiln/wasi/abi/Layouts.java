package dev.kiln.wasi.abi;

/**
 * Byte layouts and flag values of wasi_snapshot_preview1 (typenames.witx), as the witx C ABI lays
 * them out in a wasm32 memory: fields at their natural alignment, little-endian, pointers and sizes
 * u32. Each group names the witx type it mirrors.
 */
public final class Layouts {
  private Layouts() {}

  // ciovec / iovec: record { buf: pointer<u8>, buf_len: size }, size 8, align 4.
  public static final int IOVEC_SIZE = 8;
  public static final int IOVEC_BUF = 0;
  public static final int IOVEC_LEN = 4;

  // fdstat: record { fs_filetype: filetype(u8), fs_flags: fdflags(u16), fs_rights_base: rights(u64),
  // fs_rights_inheriting: rights(u64) }, size 24, align 8.
  public static final int FDSTAT_SIZE = 24;
  public static final int FDSTAT_FILETYPE = 0;
  public static final int FDSTAT_FLAGS = 2;
  public static final int FDSTAT_RIGHTS_BASE = 8;
  public static final int FDSTAT_RIGHTS_INHERITING = 16;

  // filestat: record { dev: u64, ino: u64, filetype: u8, nlink: u64, size: u64, atim, mtim, ctim:
  // timestamp(u64) }, size 64, align 8.
  public static final int FILESTAT_SIZE = 64;
  public static final int FILESTAT_DEV = 0;
  public static final int FILESTAT_INO = 8;
  public static final int FILESTAT_FILETYPE = 16;
  public static final int FILESTAT_NLINK = 24;
  public static final int FILESTAT_SIZE_FIELD = 32;
  public static final int FILESTAT_ATIM = 40;
  public static final int FILESTAT_MTIM = 48;
  public static final int FILESTAT_CTIM = 56;

  // dirent: record { d_next: dircookie(u64), d_ino: u64, d_namlen: dirnamlen(u32), d_type: u8 },
  // size 24, followed in fd_readdir's buffer by d_namlen name bytes (no NUL).
  public static final int DIRENT_SIZE = 24;
  public static final int DIRENT_NEXT = 0;
  public static final int DIRENT_INO = 8;
  public static final int DIRENT_NAMLEN = 16;
  public static final int DIRENT_TYPE = 20;

  // prestat: union (tag preopentype u8: dir = 0) { dir: prestat_dir { pr_name_len: size } },
  // size 8, payload at 4.
  public static final int PRESTAT_SIZE = 8;
  public static final int PRESTAT_TAG = 0;
  public static final int PRESTAT_DIR_NAME_LEN = 4;
  public static final int PREOPENTYPE_DIR = 0;

  // subscription: record { userdata: u64, u: subscription_u } with subscription_u a union tagged by
  // eventtype (u8 at 8) whose payload starts at 16: subscription_clock { id: clockid(u32) @16,
  // timeout: u64 @24, precision: u64 @32, flags: subclockflags(u16) @40 } or
  // subscription_fd_readwrite { file_descriptor: fd(u32) @16 }; size 48.
  public static final int SUBSCRIPTION_SIZE = 48;
  public static final int SUBSCRIPTION_USERDATA = 0;
  public static final int SUBSCRIPTION_TAG = 8;
  public static final int SUBSCRIPTION_CLOCK_ID = 16;
  public static final int SUBSCRIPTION_CLOCK_TIMEOUT = 24;
  public static final int SUBSCRIPTION_CLOCK_PRECISION = 32;
  public static final int SUBSCRIPTION_CLOCK_FLAGS = 40;
  public static final int SUBSCRIPTION_FD = 16;
  /** subclockflags.subscription_clock_abstime. */
  public static final int SUBCLOCKFLAG_ABSTIME = 1;

  // event: record { userdata: u64 @0, error: errno(u16) @8, type: eventtype(u8) @10,
  // fd_readwrite: event_fd_readwrite { nbytes: filesize(u64) @16, flags: eventrwflags(u16) @24 } },
  // size 32.
  public static final int EVENT_SIZE = 32;
  public static final int EVENT_USERDATA = 0;
  public static final int EVENT_ERROR = 8;
  public static final int EVENT_TYPE = 10;
  public static final int EVENT_NBYTES = 16;
  public static final int EVENT_FLAGS = 24;
  /** eventrwflags.fd_readwrite_hangup. */
  public static final int EVENTRWFLAG_HANGUP = 1;

  // eventtype (u8).
  public static final int EVENTTYPE_CLOCK = 0;
  public static final int EVENTTYPE_FD_READ = 1;
  public static final int EVENTTYPE_FD_WRITE = 2;

  // clockid (u32).
  public static final int CLOCK_REALTIME = 0;
  public static final int CLOCK_MONOTONIC = 1;
  public static final int CLOCK_PROCESS_CPUTIME = 2;
  public static final int CLOCK_THREAD_CPUTIME = 3;

  // whence (u8).
  public static final int WHENCE_SET = 0;
  public static final int WHENCE_CUR = 1;
  public static final int WHENCE_END = 2;

  // fdflags (u16).
  public static final int FDFLAG_APPEND = 1;
  public static final int FDFLAG_DSYNC = 2;
  public static final int FDFLAG_NONBLOCK = 4;
  public static final int FDFLAG_RSYNC = 8;
  public static final int FDFLAG_SYNC = 16;
  public static final int FDFLAGS_ALL = 31;

  // oflags (u16).
  public static final int OFLAG_CREAT = 1;
  public static final int OFLAG_DIRECTORY = 2;
  public static final int OFLAG_EXCL = 4;
  public static final int OFLAG_TRUNC = 8;

  // lookupflags (u32).
  public static final int LOOKUP_SYMLINK_FOLLOW = 1;

  // fstflags (u16).
  public static final int FSTFLAG_ATIM = 1;
  public static final int FSTFLAG_ATIM_NOW = 2;
  public static final int FSTFLAG_MTIM = 4;
  public static final int FSTFLAG_MTIM_NOW = 8;

  // advice (u8): normal, sequential, random, willneed, dontneed, noreuse.
  public static final int ADVICE_MAX = 5;
}
