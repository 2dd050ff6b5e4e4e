package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestIovecs;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.fs.Descriptor;
import dev.kiln.wasi.fs.DirectoryDescriptor;
import dev.kiln.wasi.fs.FileDescriptor;
import dev.kiln.wasi.fs.StreamDescriptor;
import dev.kiln.wasi.fs.WaitLimit;
import dev.kiln.wasi.sys.Linux;
import dev.kiln.wasi.sys.SysException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Byte I/O and lifetime of descriptors (wasi_snapshot_preview1.witx fd_read/write/pread/pwrite/
 * seek/tell/close/renumber/sync/datasync/advise/allocate). Scatter/gather lists are witx
 * {@code iovec_array}s: {@code iovs_len} records of {buf: u32, buf_len: u32}. A directory is never
 * read or written as bytes ({@link Errno#ISDIR}, as read(2) on a directory); a stream has no offset
 * ({@link Errno#SPIPE}, as lseek(2) on a pipe).
 *
 * <p><b>Transfers under a deadline.</b> A guest names up to 4 GiB per call (1024 buffers, {@link
 * GuestIovecs}). A file transfer moves it in readv/writev calls of at most {@link
 * WaitLimit#CHUNK_BYTES}, a Java stream's in {@link #STREAM_CHUNK}s, and between two of them asks
 * whether the deadline has passed ({@link WaitLimit#reached()}): if so the call returns the bytes
 * already moved, a short count, as read(2) and write(2) do when a signal interrupts them after
 * moving data (POSIX.1-2017; witx fd_read/fd_write return "the number of bytes read/written", which
 * callers loop on). The guest's own epoch check then traps at its next loop or call, and a retried
 * transfer moves its first piece and returns short again; a call that has to wait before moving
 * anything traps as any waiting call does ({@link WaitLimit}). The first piece is always moved, so a
 * call makes progress and no deadline turns a transfer into a failure that loses data.
 *
 * <p>fd_read and fd_write tell descriptors apart with {@code instanceof}, not a pattern switch over
 * the sealed {@link Descriptor}: they are the calls a short program makes first and most, while
 * the JVM still interprets them, and a pattern switch spins a class at its first execution (0.4 ms
 * in a cold JVM, inside the guest's run) and costs more per interpreted call than the tests
 * (docs/history/performance-journal.md, "Host calls before the JIT").
 */
public final class FdFunctions {
  /** The most a stream read moves per iovec, and a stream write per call. */
  static final int STREAM_CHUNK = 1 << 16;

  private final WasiContext context;

  FdFunctions(WasiContext context) {
    this.context = context;
  }

  /** fd_read(fd, iovs, iovs_len, nread: *size). */
  public int read(MemorySegment memory, int fd, int iovs, int iovsLen, int nreadPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      Descriptor d = context.fds().get(fd);
      if (d instanceof DirectoryDescriptor) {
        throw new WasiException(Errno.ISDIR, "fd " + fd + " is a directory");
      }
      d.require(Rights.FD_READ.bit());
      long nreadAt = m.range(nreadPtr, 4);
      GuestIovecs buffers = m.iovecs(GuestMemory.pointer(iovs), iovsLen);
      // Tests, not a pattern switch, on this path and fd_write's: see the class comment.
      long n = d instanceof StreamDescriptor s ? readStream(s, m, buffers, context.waitLimit())
          : readFile((FileDescriptor) d, buffers, -1, context.waitLimit());
      m.putI32(nreadAt, (int) n);
    });
  }

  /** fd_pread(fd, iovs, iovs_len, offset, nread: *size): reads at {@code offset}, position kept. */
  public int pread(MemorySegment memory, int fd, int iovs, int iovsLen, long offset, int nreadPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      FileDescriptor f = seekable(fd);
      f.require(Rights.FD_READ.bit() | Rights.FD_SEEK.bit());
      long nreadAt = m.range(nreadPtr, 4);
      if (offset < 0) {
        throw new WasiException(Errno.INVAL, "offset beyond 2^63");
      }
      GuestIovecs buffers = m.iovecs(GuestMemory.pointer(iovs), iovsLen);
      m.putI32(nreadAt, (int) readFile(f, buffers, offset, context.waitLimit()));
    });
  }

  /** fd_write(fd, iovs, iovs_len, nwritten: *size). */
  public int write(MemorySegment memory, int fd, int iovs, int iovsLen, int nwrittenPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      Descriptor d = context.fds().get(fd);
      if (d instanceof DirectoryDescriptor) {
        throw new WasiException(Errno.ISDIR, "fd " + fd + " is a directory");
      }
      d.require(Rights.FD_WRITE.bit());
      long nwrittenAt = m.range(nwrittenPtr, 4);
      GuestIovecs buffers = m.iovecs(GuestMemory.pointer(iovs), iovsLen);
      long n;
      if (d instanceof StreamDescriptor s) {
        // Whether the descriptor may wait is asked only when a deadline could end the wait.
        n = s.writesToHostFd() ? writeHost(s.hostFd(), context.waitLimit().applies() && s.hostMayWait(), buffers,
            -1, context.waitLimit()) : writeStream(s, m, buffers, context.waitLimit());
      } else {
        FileDescriptor f = (FileDescriptor) d;
        if ((f.flags() & Layouts.FDFLAG_APPEND) != 0) {
          Linux.lseek(f.fd(), 0, Linux.SEEK_END);
        }
        n = writeFile(f, buffers, -1, context.waitLimit());
        syncIfAsked(f);
      }
      m.putI32(nwrittenAt, (int) n);
    });
  }

  /** fd_pwrite(fd, iovs, iovs_len, offset, nwritten: *size): writes at {@code offset}. */
  public int pwrite(MemorySegment memory, int fd, int iovs, int iovsLen, long offset,
      int nwrittenPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      FileDescriptor f = seekable(fd);
      f.require(Rights.FD_WRITE.bit() | Rights.FD_SEEK.bit());
      long nwrittenAt = m.range(nwrittenPtr, 4);
      if (offset < 0) {
        throw new WasiException(Errno.INVAL, "offset beyond 2^63");
      }
      GuestIovecs buffers = m.iovecs(GuestMemory.pointer(iovs), iovsLen);
      long n = writeFile(f, buffers, offset, context.waitLimit());
      syncIfAsked(f);
      m.putI32(nwrittenAt, (int) n);
    });
  }

  /** fd_seek(fd, offset: filedelta, whence, newoffset: *filesize). */
  public int seek(MemorySegment memory, int fd, long offset, int whence, int newOffsetPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      FileDescriptor f = seekable(fd);
      // witx: fd_seek needs fd_seek, except that seeking by 0 from the current position is a tell.
      f.require(offset == 0 && whence == Layouts.WHENCE_CUR
          ? Rights.FD_TELL.bit() : Rights.FD_SEEK.bit());
      long newOffsetAt = m.range(newOffsetPtr, 8);
      long base = switch (whence) {
        case Layouts.WHENCE_SET -> 0;
        case Layouts.WHENCE_CUR -> Linux.lseek(f.fd(), 0, Linux.SEEK_CUR);
        case Layouts.WHENCE_END -> Linux.lseek(f.fd(), 0, Linux.SEEK_END);
        default -> throw new WasiException(Errno.INVAL, "whence " + whence);
      };
      long target;
      try {
        target = Math.addExact(base, offset);
      } catch (ArithmeticException e) {
        throw new WasiException(Errno.OVERFLOW, "offset overflows");
      }
      if (target < 0) {
        throw new WasiException(Errno.INVAL, "negative offset");
      }
      Linux.lseek(f.fd(), target, Linux.SEEK_SET);
      m.putI64(newOffsetAt, target);
    });
  }

  /** fd_tell(fd, offset: *filesize). */
  public int tell(MemorySegment memory, int fd, int offsetPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      FileDescriptor f = seekable(fd);
      f.require(Rights.FD_TELL.bit());
      m.putI64(GuestMemory.pointer(offsetPtr), Linux.lseek(f.fd(), 0, Linux.SEEK_CUR));
    });
  }

  /** fd_close(fd). */
  public int close(int fd) {
    return WasiCall.errno(() -> context.fds().close(fd));
  }

  /** fd_renumber(fd, to): {@code to} is closed and {@code fd} takes its number. */
  public int renumber(int fd, int to) {
    return WasiCall.errno(() -> context.fds().renumber(fd, to));
  }

  /** fd_sync(fd): data and metadata to the device. */
  public int sync(int fd) {
    return WasiCall.errno(() -> force(fd, Rights.FD_SYNC, true));
  }

  /** fd_datasync(fd): data to the device. */
  public int datasync(int fd) {
    return WasiCall.errno(() -> force(fd, Rights.FD_DATASYNC, false));
  }

  private void force(int fd, Rights right, boolean metadata) {
    Descriptor d = context.fds().get(fd);
    d.require(right.bit());
    switch (d) {
      case FileDescriptor f -> Linux.fsync(f.fd(), metadata);
      case DirectoryDescriptor dir -> Linux.fsync(dir.fd(), metadata);
      case StreamDescriptor s -> s.sync();
    }
  }

  /**
   * fd_advise(fd, offset, len, advice): advice is a hint a host may ignore (POSIX says
   * posix_fadvise may do nothing), and Kiln does; arguments are still checked so a wrong call fails
   * as it would on a POSIX host.
   */
  public int advise(int fd, long offset, long length, int advice) {
    return WasiCall.errno(() -> {
      FileDescriptor f = seekable(fd);
      f.require(Rights.FD_ADVISE.bit());
      if (advice < 0 || advice > Layouts.ADVICE_MAX || offset < 0 || length < 0) {
        throw new WasiException(Errno.INVAL, "advice " + advice);
      }
    });
  }

  /** fd_allocate(fd, offset, len): the file grows to at least offset+len bytes. */
  public int allocate(int fd, long offset, long length) {
    return WasiCall.errno(() -> {
      FileDescriptor f = context.fds().get(fd, FileDescriptor.class, Errno.BADF);
      f.require(Rights.FD_ALLOCATE.bit());
      if (offset < 0 || length <= 0) {
        throw new WasiException(Errno.INVAL, "allocate range");
      }
      long end;
      try {
        end = Math.addExact(offset, length);
      } catch (ArithmeticException e) {
        throw new WasiException(Errno.FBIG, "allocate range overflows");
      }
      grow(f, end);
    });
  }

  /**
   * Extends the file to {@code size} bytes with zeros (never shrinks it): ftruncate makes the new
   * range a hole, as writing one byte at the end would, without allocating it.
   */
  static void grow(FileDescriptor f, long size) {
    if (Linux.statx(f.fd(), "", Linux.AT_EMPTY_PATH).size() < size) {
      Linux.ftruncate(f.fd(), size);
    }
  }

  private FileDescriptor seekable(int fd) {
    Descriptor d = context.fds().get(fd);
    return switch (d) {
      case FileDescriptor f -> f;
      case StreamDescriptor _ -> throw new WasiException(Errno.SPIPE, "fd " + fd + " is a stream");
      case DirectoryDescriptor _ -> throw new WasiException(Errno.ISDIR, "fd " + fd + " is a directory");
    };
  }

  private static void syncIfAsked(FileDescriptor f) {
    int syncFlags = Layouts.FDFLAG_SYNC | Layouts.FDFLAG_DSYNC | Layouts.FDFLAG_RSYNC;
    if ((f.flags() & syncFlags) != 0) {
      Linux.fsync(f.fd(), (f.flags() & Layouts.FDFLAG_SYNC) != 0);
    }
  }

  /**
   * readv/preadv straight into the guest's buffers, a chunk at a time (see the class comment). A
   * FIFO, socket or device gets one readv of at most a chunk: it returns what is there, as read(2)
   * on a pipe does, where a second could wait for a writer.
   */
  private static long readFile(FileDescriptor f, GuestIovecs buffers, long at, WaitLimit limit) {
    if (buffers.total() == 0) {
      return 0;
    }
    if (f.mayWait()) {
      awaitReady(f.fd(), Linux.POLLIN, limit);
      return readv(f.fd(), buffers.slice(0, WaitLimit.CHUNK_BYTES), at);
    }
    long done = 0;
    while (done < buffers.total() && !(done > 0 && limit.reached())) {
      GuestIovecs chunk = buffers.slice(done, WaitLimit.CHUNK_BYTES);
      long n;
      try {
        n = readv(f.fd(), chunk, at < 0 ? -1 : at + done);
      } catch (SysException e) {
        if (done == 0) {
          throw e;
        }
        return done; // as read(2): the bytes moved are the result, the error comes with the next call
      }
      done += n;
      if (n < chunk.total()) {
        break; // end of file
      }
    }
    return done;
  }

  private static long readv(int fd, GuestIovecs buffers, long at) {
    try (Arena arena = Arena.ofConfined()) {
      return Linux.readv(fd, buffers.hostIovecs(arena), buffers.count(), at);
    }
  }

  /** writev/pwritev straight from the guest's buffers. */
  private static long writeFile(FileDescriptor f, GuestIovecs buffers, long at, WaitLimit limit) {
    return writeHost(f.fd(), f.mayWait(), buffers, at, limit);
  }

  /**
   * writev/pwritev of the guest's buffers to host descriptor {@code fd}: a regular file's or the
   * process's own output ({@code StreamDescriptor#hostFd}); {@code mayWait} if it is a FIFO,
   * socket or character device, whose writes wait for a reader's room.
   */
  private static long writeHost(int fd, boolean mayWait, GuestIovecs buffers, long at, WaitLimit limit) {
    if (buffers.total() == 0) {
      return 0;
    }
    if (mayWait && limit.applies()) {
      awaitReady(fd, Linux.POLLOUT, limit);
      // Room for PIPE_BUF bytes is what POLLOUT promises (pipe(7)): a longer write could wait for
      // the reader past the deadline, so it is cut short, as a write to a pipe may be.
      return writev(fd, buffers.limitedTo(Linux.PIPE_BUF), at);
    }
    long done = 0;
    while (done < buffers.total() && !(done > 0 && limit.reached())) {
      GuestIovecs chunk = buffers.slice(done, WaitLimit.CHUNK_BYTES);
      long n;
      try {
        n = writev(fd, chunk, at < 0 ? -1 : at + done);
      } catch (SysException e) {
        if (done == 0) {
          throw e;
        }
        return done; // as write(2): the bytes written are the result (ENOSPC comes with the next call)
      }
      done += n;
      if (n < chunk.total()) {
        break;
      }
    }
    return done;
  }

  private static long writev(int fd, GuestIovecs buffers, long at) {
    try (Arena arena = Arena.ofConfined()) {
      return Linux.writev(fd, buffers.hostIovecs(arena), buffers.count(), at);
    }
  }

  /**
   * With a deadline, waits in slices until {@code fd} (a FIFO, socket or character device) is ready
   * for {@code events}, so the readv or writev that follows does not block in the kernel past it:
   * such a file opened through a preopen can wait forever for a writer or a reader, and the
   * process's standard output for a reader of its pipe.
   */
  private static void awaitReady(int fd, int events, WaitLimit limit) {
    if (!limit.applies()) {
      return;
    }
    int sliceMillis = (int) (WaitLimit.SLICE_NANOS / 1_000_000);
    while (!Linux.pollReady(fd, events, 0)) {
      limit.check();
      Linux.pollReady(fd, events, sliceMillis);
    }
  }

  /**
   * Fills the buffers as one run of bytes, in order, a chunk at a time (readv(2): the buffers are
   * filled in order, and the count is exactly the bytes placed there), but returns after the first
   * short read, so a read never waits for more input than the stream already has beyond its first
   * byte (read(2) on a pipe behaves so). A chunk may span several buffers or lie inside one: a
   * guest buffer of a gigabyte must not become a Java array of a gigabyte, and a buffer is filled
   * to its end before the next one gets a byte. Past the deadline, what has been read is the read
   * (see the class comment).
   */
  private static long readStream(StreamDescriptor s, GuestMemory m, GuestIovecs buffers,
      WaitLimit limit) {
    byte[] chunk = new byte[(int) Math.min(buffers.total(), STREAM_CHUNK)];
    long done = 0;
    while (done < buffers.total()) {
      if (done > 0 && (s.available() == 0 || limit.reached())) {
        return done; // what has come is the read: the next bytes may be long in coming
      }
      GuestIovecs piece = buffers.slice(done, chunk.length);
      int n;
      try {
        n = s.read(chunk, 0, (int) piece.total(), limit);
      } catch (WasiException e) {
        if (done == 0) {
          throw e;
        }
        return done; // as read(2): bytes already moved are the result; the error comes next time
      }
      if (n <= 0) {
        return done;
      }
      GuestIovecs filled = piece.slice(0, n);
      int placed = 0;
      for (int i = 0; i < filled.count(); i++) {
        m.write(filled.buffer(i), chunk, placed, (int) filled.length(i));
        placed += (int) filled.length(i);
      }
      done += n;
      if (n < piece.total()) {
        return done;
      }
    }
    return done;
  }

  /**
   * Writes the buffers in chunks; the guest sees the whole count, as for a blocking write(2), unless
   * the deadline passes between two chunks: then the bytes written so far (see the class comment).
   */
  private static long writeStream(StreamDescriptor s, GuestMemory m, GuestIovecs buffers, WaitLimit limit) {
    byte[] chunk = new byte[(int) Math.min(buffers.total(), STREAM_CHUNK)];
    long written = 0;
    while (written < buffers.total() && !(written > 0 && limit.reached())) {
      GuestIovecs piece = buffers.slice(written, chunk.length);
      int filled = 0;
      for (int i = 0; i < piece.count(); i++) {
        m.read(piece.buffer(i), chunk, filled, (int) piece.length(i));
        filled += (int) piece.length(i);
      }
      s.write(chunk, 0, filled);
      written += filled;
    }
    return written;
  }
}
