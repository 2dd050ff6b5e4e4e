package dev.kiln.wasi.abi;

/**
 * WASI preview1 error codes: {@code errno} in wasi_snapshot_preview1's typenames.witx, an enum over
 * u16 whose variants are numbered in declaration order. Kiln returns them as the low 16 bits of an
 * i32 result, as the witx-to-core-wasm lowering prescribes for every function returning
 * {@code (expected ... (error $errno))}.
 */
public enum Errno {
  SUCCESS, TOOBIG, ACCES, ADDRINUSE, ADDRNOTAVAIL, AFNOSUPPORT, AGAIN, ALREADY, BADF, BADMSG, BUSY,
  CANCELED, CHILD, CONNABORTED, CONNREFUSED, CONNRESET, DEADLK, DESTADDRREQ, DOM, DQUOT, EXIST,
  FAULT, FBIG, HOSTUNREACH, IDRM, ILSEQ, INPROGRESS, INTR, INVAL, IO, ISCONN, ISDIR, LOOP, MFILE,
  MLINK, MSGSIZE, MULTIHOP, NAMETOOLONG, NETDOWN, NETRESET, NETUNREACH, NFILE, NOBUFS, NODEV, NOENT,
  NOEXEC, NOLCK, NOLINK, NOMEM, NOMSG, NOPROTOOPT, NOSPC, NOSYS, NOTCONN, NOTDIR, NOTEMPTY,
  NOTRECOVERABLE, NOTSOCK, NOTSUP, NOTTY, NXIO, OVERFLOW, OWNERDEAD, PERM, PIPE, PROTO,
  PROTONOSUPPORT, PROTOTYPE, RANGE, ROFS, SPIPE, SRCH, STALE, TIMEDOUT, TXTBSY, XDEV, NOTCAPABLE;

  private static final Errno[] BY_CODE = values();

  /** The u16 value the guest sees. */
  public int code() {
    return ordinal();
  }

  /** The errno with this code; {@link IllegalArgumentException} outside 0..76. */
  public static Errno of(int code) {
    if (code < 0 || code >= BY_CODE.length) {
      throw new IllegalArgumentException("no WASI errno " + code);
    }
    return BY_CODE[code];
  }
}
