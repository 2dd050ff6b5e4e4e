package dev.kiln.wasi.sys;

import dev.kiln.wasi.abi.Errno;

/**
 * Linux errno numbers and their WASI counterparts. The numbers are asm-generic's
 * ({@code include/uapi/asm-generic/errno-base.h} and {@code errno.h}), which x86-64 and AArch64
 * share; each WASI errno of witx typenames is named after the POSIX errno it stands for.
 */
public final class LinuxErrno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int ENXIO = 6;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int EACCES = 13;
  public static final int EEXIST = 17;
  public static final int EXDEV = 18;
  public static final int ENOTDIR = 20;
  public static final int EISDIR = 21;
  public static final int EINVAL = 22;
  public static final int ENOSYS = 38;
  public static final int ELOOP = 40;

  /** WASI_BY_LINUX[n] is the WASI errno for Linux errno n; null where WASI has none (then EIO). */
  private static final Errno[] WASI_BY_LINUX = new Errno[134];

  static {
    map(1, Errno.PERM); map(2, Errno.NOENT); map(3, Errno.SRCH); map(4, Errno.INTR);
    map(5, Errno.IO); map(6, Errno.NXIO); map(7, Errno.TOOBIG); map(8, Errno.NOEXEC);
    map(9, Errno.BADF); map(10, Errno.CHILD); map(11, Errno.AGAIN); map(12, Errno.NOMEM);
    map(13, Errno.ACCES); map(14, Errno.FAULT); map(16, Errno.BUSY); map(17, Errno.EXIST);
    map(18, Errno.XDEV); map(19, Errno.NODEV); map(20, Errno.NOTDIR); map(21, Errno.ISDIR);
    map(22, Errno.INVAL); map(23, Errno.NFILE); map(24, Errno.MFILE); map(25, Errno.NOTTY);
    map(26, Errno.TXTBSY); map(27, Errno.FBIG); map(28, Errno.NOSPC); map(29, Errno.SPIPE);
    map(30, Errno.ROFS); map(31, Errno.MLINK); map(32, Errno.PIPE); map(33, Errno.DOM);
    map(34, Errno.RANGE); map(35, Errno.DEADLK); map(36, Errno.NAMETOOLONG); map(37, Errno.NOLCK);
    map(38, Errno.NOSYS); map(39, Errno.NOTEMPTY); map(40, Errno.LOOP); map(42, Errno.NOMSG);
    map(43, Errno.IDRM); map(67, Errno.NOLINK); map(71, Errno.PROTO); map(72, Errno.MULTIHOP);
    map(74, Errno.BADMSG); map(75, Errno.OVERFLOW); map(84, Errno.ILSEQ); map(88, Errno.NOTSOCK);
    map(89, Errno.DESTADDRREQ); map(90, Errno.MSGSIZE); map(91, Errno.PROTOTYPE);
    map(92, Errno.NOPROTOOPT); map(93, Errno.PROTONOSUPPORT); map(95, Errno.NOTSUP);
    map(97, Errno.AFNOSUPPORT); map(98, Errno.ADDRINUSE); map(99, Errno.ADDRNOTAVAIL);
    map(100, Errno.NETDOWN); map(101, Errno.NETUNREACH); map(102, Errno.NETRESET);
    map(103, Errno.CONNABORTED); map(104, Errno.CONNRESET); map(105, Errno.NOBUFS);
    map(106, Errno.ISCONN); map(107, Errno.NOTCONN); map(110, Errno.TIMEDOUT);
    map(111, Errno.CONNREFUSED); map(113, Errno.HOSTUNREACH); map(114, Errno.ALREADY);
    map(115, Errno.INPROGRESS); map(116, Errno.STALE); map(122, Errno.DQUOT);
    map(125, Errno.CANCELED); map(130, Errno.OWNERDEAD); map(131, Errno.NOTRECOVERABLE);
  }

  private LinuxErrno() {}

  private static void map(int linux, Errno wasi) {
    WASI_BY_LINUX[linux] = wasi;
  }

  /** The WASI errno for a Linux errno; {@link Errno#IO} for one WASI does not name. */
  public static Errno toWasi(int linux) {
    Errno wasi = linux > 0 && linux < WASI_BY_LINUX.length ? WASI_BY_LINUX[linux] : null;
    return wasi == null ? Errno.IO : wasi;
  }

  /** "ENOENT (2)"-style text for messages. */
  static String describe(int linux) {
    return "E" + toWasi(linux).name() + " (errno " + linux + ")";
  }
}
