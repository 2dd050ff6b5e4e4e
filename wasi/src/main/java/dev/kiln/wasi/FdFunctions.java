package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.fs.Descriptor;
import dev.kiln.wasi.fs.DirectoryDescriptor;
import dev.kiln.wasi.fs.FileDescriptor;
import dev.kiln.wasi.fs.StreamDescriptor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;

/**
 * Byte I/O and lifetime of descriptors (wasi_snapshot_preview1.witx fd_read/write/pread/pwrite/
 * seek/tell/close/renumber/sync/datasync/advise/allocate). Scatter/gather lists are witx
 * {@code iovec_array}s: {@code iovs_len} records of {buf: u32, buf_len: u32}. A directory is never
 * read or written as bytes ({@link Errno#ISDIR}, as read(2) on a directory); a stream has no offset
 * ({@link Errno#SPIPE}, as lseek(2) on a pipe).
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
      m.check(nreadPtr, 4);
      ByteBuffer[] buffers = buffers(m, iovs, iovsLen);
      long n = switch (d) {
        case FileDescriptor f -> readFile(f.channel(), buffers, -1);
        case StreamDescriptor s -> readStream(s, buffers);
        case DirectoryDescriptor _ -> throw new WasiException(Errno.ISDIR);
      };
      m.putI32(nreadPtr, (int) n);
    });
  }

  /** fd_pread(fd, iovs, iovs_len, offset, nread: *size): reads at {@code offset}, position kept. */
  public int pread(MemorySegment memory, int fd, int iovs, int iovsLen, long offset, int nreadPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      FileDescriptor f = seekable(fd);
      f.require(Rights.FD_READ.bit() | Rights.FD_SEEK.bit());
      m.check(nreadPtr, 4);
      if (offset < 0) {
        throw new WasiException(Errno.INVAL, "offset beyond 2^63");
      }
      m.putI32(nreadPtr, (int) readFile(f.channel(), buffers(m, iovs, iovsLen), offset));
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
      m.check(nwrittenPtr, 4);
      ByteBuffer[] buffers = buffers(m, iovs, iovsLen);
      long n = switch (d) {
        case FileDescriptor f -> {
          if ((f.flags() & Layouts.FDFLAG_APPEND) != 0) {
            f.channel().position(f.channel().size());
          }
          long written = writeFile(f.channel(), buffers, -1);
          syncIfAsked(f);
          yield written;
        }
        case StreamDescriptor s -> writeStream(s, buffers);
        case DirectoryDescriptor _ -> throw new WasiException(Errno.ISDIR);
      };
      m.putI32(nwrittenPtr, (int) n);
    });
  }

  /** fd_pwrite(fd, iovs, iovs_len, offset, nwritten: *size): writes at {@code offset}. */
  public int pwrite(MemorySegment memory, int fd, int iovs, int iovsLen, long offset,
      int nwrittenPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      FileDescriptor f = seekable(fd);
      f.require(Rights.FD_WRITE.bit() | Rights.FD_SEEK.bit());
      m.check(nwrittenPtr, 4);
      if (offset < 0) {
        throw new WasiException(Errno.INVAL, "offset beyond 2^63");
      }
      long n = writeFile(f.channel(), buffers(m, iovs, iovsLen), offset);
      syncIfAsked(f);
      m.putI32(nwrittenPtr, (int) n);
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
      m.check(newOffsetPtr, 8);
      FileChannel c = f.channel();
      long base = switch (whence) {
        case Layouts.WHENCE_SET -> 0;
        case Layouts.WHENCE_CUR -> c.position();
        case Layouts.WHENCE_END -> c.size();
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
      c.position(target);
      m.putI64(newOffsetPtr, target);
    });
  }

  /** fd_tell(fd, offset: *filesize). */
  public int tell(MemorySegment memory, int fd, int offsetPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      FileDescriptor f = seekable(fd);
      f.require(Rights.FD_TELL.bit());
      m.putI64(offsetPtr, f.channel().position());
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

  private void force(int fd, Rights right, boolean metadata) throws IOException {
    Descriptor d = context.fds().get(fd);
    d.require(right.bit());
    switch (d) {
      case FileDescriptor f -> f.channel().force(metadata);
      case StreamDescriptor s -> s.sync();
      case DirectoryDescriptor _ -> {
        // java.nio cannot fsync a directory; its entries are written by the calls that changed them.
      }
    }
  }

  /**
   * fd_advise(fd, offset, len, advice): advice is a hint (posix_fadvise) java.nio cannot pass on;
   * arguments are still checked so a wrong call fails as it would on a POSIX host.
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
      grow(f.channel(), end);
    });
  }

  /** Extends {@code channel} to {@code size} bytes with zeros (it never shrinks). */
  static void grow(FileChannel channel, long size) throws IOException {
    if (channel.size() < size) {
      try {
        channel.write(ByteBuffer.allocate(1), size - 1);
      } catch (NonWritableChannelException e) {
        throw new WasiException(Errno.BADF, "file not open for writing");
      }
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

  private static void syncIfAsked(FileDescriptor f) throws IOException {
    int syncFlags = Layouts.FDFLAG_SYNC | Layouts.FDFLAG_DSYNC | Layouts.FDFLAG_RSYNC;
    if ((f.flags() & syncFlags) != 0) {
      f.channel().force((f.flags() & Layouts.FDFLAG_SYNC) != 0);
    }
  }

  /** The guest buffers an iovec array names, as views into guest memory. */
  static ByteBuffer[] buffers(GuestMemory m, int iovs, int iovsLen) {
    long count = Integer.toUnsignedLong(iovsLen);
    m.check(iovs, count * Layouts.IOVEC_SIZE);
    ByteBuffer[] out = new ByteBuffer[(int) count];
    long total = 0;
    for (int i = 0; i < count; i++) {
      int entry = iovs + i * Layouts.IOVEC_SIZE;
      int len = m.i32(entry + Layouts.IOVEC_LEN);
      out[i] = m.buffer(m.i32(entry + Layouts.IOVEC_BUF), len);
      total += Integer.toUnsignedLong(len);
    }
    // The byte count returns as a u32 size; POSIX caps one call at SSIZE_MAX the same way.
    if (total > 0xFFFF_FFFFL) {
      throw new WasiException(Errno.INVAL, "iovec total exceeds 4 GiB");
    }
    return out;
  }

  /** Reads into the buffers at the channel position ({@code at} < 0) or at {@code at}. */
  static long readFile(FileChannel channel, ByteBuffer[] buffers, long at) throws IOException {
    try {
      if (at < 0) {
        long n = channel.read(buffers);
        return Math.max(n, 0);
      }
      long done = 0;
      long position = at;
      for (ByteBuffer b : buffers) {
        while (b.hasRemaining()) {
          int n = channel.read(b, position);
          if (n <= 0) {
            return done;
          }
          done += n;
          position += n;
        }
      }
      return done;
    } catch (NonReadableChannelException e) {
      throw new WasiException(Errno.BADF, "file not open for reading");
    }
  }

  static long writeFile(FileChannel channel, ByteBuffer[] buffers, long at) throws IOException {
    try {
      long done = 0;
      long position = at;
      for (ByteBuffer b : buffers) {
        while (b.hasRemaining()) {
          int n = at < 0 ? channel.write(b) : channel.write(b, position);
          done += n;
          position += n;
        }
      }
      return done;
    } catch (NonWritableChannelException e) {
      throw new WasiException(Errno.BADF, "file not open for writing");
    }
  }

  /**
   * Fills the buffers in order but returns after the first short read, so a read never waits for
   * more input than the stream already has beyond its first byte (read(2) on a pipe behaves so).
   */
  private static long readStream(StreamDescriptor s, ByteBuffer[] buffers) {
    long done = 0;
    for (ByteBuffer b : buffers) {
      // At most one chunk per iovec: a short read is always allowed, a guest buffer of a gigabyte
      // must not become a Java array of a gigabyte.
      int want = Math.min(b.remaining(), STREAM_CHUNK);
      if (want == 0) {
        continue;
      }
      byte[] chunk = new byte[want];
      int n = s.read(chunk, 0, want);
      if (n <= 0) {
        return done;
      }
      b.put(chunk, 0, n);
      done += n;
      if (n < want) {
        return done;
      }
    }
    return done;
  }

  /** Writes every buffer in chunks; the guest sees the whole count, as for a blocking write(2). */
  private static long writeStream(StreamDescriptor s, ByteBuffer[] buffers) {
    long total = 0;
    for (ByteBuffer b : buffers) {
      total += b.remaining();
    }
    byte[] chunk = new byte[(int) Math.min(total, STREAM_CHUNK)];
    int filled = 0;
    for (ByteBuffer b : buffers) {
      while (b.hasRemaining()) {
        int n = Math.min(b.remaining(), chunk.length - filled);
        b.get(chunk, filled, n);
        filled += n;
        if (filled == chunk.length) {
          s.write(chunk, 0, filled);
          filled = 0;
        }
      }
    }
    if (filled > 0) {
      s.write(chunk, 0, filled);
    }
    return total;
  }
}
