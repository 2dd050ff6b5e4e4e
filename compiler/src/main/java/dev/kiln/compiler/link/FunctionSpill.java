package dev.kiln.compiler.link;

import dev.kiln.artifact.elf.ArtifactFileWriter;
import dev.kiln.artifact.elf.EffectiveUser;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.CompiledFunctionBytes;
import dev.kiln.codegen.regalloc.MoveCounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Compiled functions kept in a file from their compile to the link, so that a large module's
 * compile holds in memory only the functions in flight, not every finished one (issue 40: yosys's
 * finished functions were about 85 MB of the heap at the link, growing with the module).
 *
 * <p>The file is code the artifact will carry, so nobody else may change or read it: it is created
 * new ({@code O_CREAT | O_EXCL}, which no planted file or symbolic link satisfies) with mode 0600,
 * refused unless its file system shows it this user's with that mode ({@link #requirePrivate}),
 * and its name is removed at once, so it is reached only through this process's open channel and
 * is gone with it, even if the process dies. Each function is written once at a place reserved for
 * it (positional writes: the compile's threads write side by side) and read back whole through
 * {@link CompiledFunctionBytes}, whose decoding checks the form. The disk it takes is every
 * compiled function's code and tables, relocations (24 bytes each) and functions the linker drops
 * included, which the module's code budget bounds: 3.2 times the artifact for a module of nothing
 * but calls (red team 12: 73 MB for a 23 MB artifact), about what the heap held before. Of each
 * function the heap keeps its place, size, move counts and callees ({@link Spilled}), which the link
 * reads without reading the function back. Where the disk is full, the functions from there on stay
 * in memory ({@link #keep}).
 */
public final class FunctionSpill implements AutoCloseable {
  /**
   * Random names tried before {@link #open} gives up. 64 random bits collide by chance about never,
   * so a run of existing names means a file system that says every name exists (a hostile FUSE
   * mount), which would otherwise keep the compile looping.
   */
  static final int NAME_ATTEMPTS = 16;
  private final Path directory;
  private final FileChannel channel;
  private long end;
  /** Set by the first write that fails: every later function stays in memory. */
  private volatile boolean full;

  /**
   * Where a function's form lies in the file, with what the compile reports of it without reading
   * it back.
   *
   * @param position the form's first byte
   * @param length the form's bytes
   * @param codeSize the function's machine code bytes
   * @param moveCounts the function's {@link CompiledFunction#moveCounts()}
   * @param packedCallees the function's {@link CompiledFunction#calleeKeys()} ({@link #calleeKeys}),
   *     so that the linker's walk from the roots reads no function back (0.3-0.4 s of yosys's serial
   *     tail, issue 40): each key's distance from the one before as an unsigned LEB128 (the first's
   *     from 0), a byte or two a callee, since a function's callees are mostly near each other in key
   *     order. Kept on the heap until the link, so a module of nothing but calls (two bytes of wasm
   *     each) keeps about half its body bytes here, not the four times eight-byte keys would.
   */
  public record Spilled(long position, int length, int codeSize, MoveCounts moveCounts, byte[] packedCallees)
      implements CompiledFunctions.Held {
    public Spilled {
      packedCallees = packedCallees.clone();
    }

    @Override
    public byte[] packedCallees() {
      return packedCallees.clone();
    }

    /** {@code keys} (increasing, distinct) as {@link #packedCallees}. */
    static byte[] packCallees(long[] keys) {
      byte[] out = new byte[10 * keys.length];
      int at = 0;
      long previous = 0;
      for (long key : keys) {
        for (long delta = key - previous; ; delta >>>= 7) {
          if ((delta & ~0x7FL) == 0) {
            out[at++] = (byte) delta;
            break;
          }
          out[at++] = (byte) (delta & 0x7F | 0x80);
        }
        previous = key;
      }
      return Arrays.copyOf(out, at);
    }

    @Override
    public long[] calleeKeys() {
      long[] keys = new long[packedCallees.length]; // at least a byte each
      int n = 0;
      long key = 0;
      for (int at = 0; at < packedCallees.length; ) {
        long delta = 0;
        for (int shift = 0; ; shift += 7) {
          byte b = packedCallees[at++];
          delta |= (long) (b & 0x7F) << shift;
          if (b >= 0) {
            break;
          }
        }
        key += delta;
        keys[n++] = key;
      }
      return Arrays.copyOf(keys, n);
    }
  }

  /** A spill over {@code channel}, a file already without a name in {@code directory} ({@link #open}; tests). */
  FunctionSpill(Path directory, FileChannel channel) {
    this.directory = directory;
    this.channel = channel;
  }

  /**
   * A new spill file in {@code directory}, already without a name.
   *
   * @throws UncheckedIOException (of a {@link FileSystemException} naming {@code directory}) if no
   *     file can be made there
   */
  public static FunctionSpill open(Path directory) {
    for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
      Path file = directory.resolve(".kiln-spill-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
      try {
        FileChannel channel = FileChannel.open(file,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
          requirePrivate(file);
          Files.delete(file);
        } catch (IOException | RuntimeException e) {
          channel.close();
          Files.deleteIfExists(file);
          throw e;
        }
        return new FunctionSpill(directory, channel);
      } catch (FileAlreadyExistsException e) {
        // another file of that name (ours or planted): pick another
      } catch (IOException e) {
        throw failure(directory, "cannot make a file for the compile's finished functions", e);
      }
    }
    throw failure(directory, "cannot make a file for the compile's finished functions",
        new FileSystemException(directory.toString(), null, NAME_ATTEMPTS + " random names in a row already existed"));
  }

  /**
   * Checks that the file just made is this user's with mode 0600, before its name is removed. The
   * mode asked for at its creation is not enough: Linux file systems without POSIX modes (vfat or
   * exfat mounted {@code umask=0}, CIFS shares, FUSE mounts such as bindfs {@code --perms=a+rw})
   * create the file with the mode and owner their mount gives every file, and the JDK raises
   * nothing. Another user who opens such a file before its name is removed keeps it open, reads the
   * code and rewrites it before the linker reads it back (red team 12: a bindfs directory, five
   * compiles out of five). The kernel checks an open against the mode and owner the file system
   * shows (POSIX.1-2017, XBD 4.5 "File Access Permissions"), so those read here are what another
   * user's open met.
   */
  private static void requirePrivate(Path file) throws IOException {
    Map<String, Object> status = Files.readAttributes(file, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
    int me = EffectiveUser.id();
    Optional<String> why = whyNotPrivate((Integer) status.get("mode"), (Integer) status.get("uid"), me);
    if (why.isPresent()) {
      throw new FileSystemException(file.toString(), null, why.get());
    }
  }

  /** Why a file of {@code st_mode} {@code mode} owned by {@code owner} is not private to user {@code me}, if it is not. */
  static Optional<String> whyNotPrivate(int mode, int owner, int me) {
    int permissions = mode & 07777;
    if (owner != me || permissions != 0600) {
      return Optional.of("made with mode " + Integer.toOctalString(permissions) + " for user " + owner + ", not 600 for user "
          + me);
    }
    return Optional.empty();
  }

  /**
   * Writes {@code f} to the file and returns its place, which the caller keeps instead of {@code
   * f}; or, once a write has failed (a full disk), {@code f} itself: the spill spares memory and
   * changes nothing the compile makes, so a file that cannot take the functions leaves them in
   * memory as if there were none (the part of the file the failed write had reserved is never read).
   *
   * @throws UncheckedIOException if the file is closed (also by an interrupt of a thread using it)
   */
  public CompiledFunctions.Held keep(CompiledFunction f) {
    if (full) {
      return new CompiledFunctions.Resident(f);
    }
    byte[] form = CompiledFunctionBytes.encode(f);
    long position;
    synchronized (this) {
      position = end;
      end += form.length;
    }
    try {
      inSlices(form, position, channel::write);
    } catch (ClosedChannelException e) {
      // closed, by close or by an interrupt of any thread that used it (FileChannel is an
      // InterruptibleChannel): the functions already in it are lost with it, so the compile cannot go on
      throw failure(directory, "cannot write the compile's finished functions", e);
    } catch (IOException e) {
      full = true;
      return new CompiledFunctions.Resident(f);
    }
    return new Spilled(position, form.length, f.size(), f.moveCounts(), Spilled.packCallees(f.calleeKeys()));
  }

  /** The function {@link #keep} wrote at {@code place}. */
  public CompiledFunction load(Spilled place) {
    byte[] form = new byte[place.length()];
    try {
      inSlices(form, place.position(), channel::read);
    } catch (IOException e) {
      throw failure(directory, "cannot read back the compile's finished functions", e);
    }
    return CompiledFunctionBytes.decode(form);
  }

  /** One positional read or write ({@link FileChannel#read(ByteBuffer, long)}, {@code write}): the bytes moved, or -1 at the file's end. */
  private interface PositionalTransfer {
    int transfer(ByteBuffer slice, long position) throws IOException;
  }

  /**
   * Moves all of {@code form} to or from the file at {@code position}, in slices of {@link
   * ArtifactFileWriter#IO_SLICE_BYTES} (a heap buffer's I/O goes through a temporary direct buffer of
   * its size, which the JDK caches per thread).
   */
  private static void inSlices(byte[] form, long position, PositionalTransfer io) throws IOException {
    for (int at = 0; at < form.length; ) {
      ByteBuffer slice = ByteBuffer.wrap(form, at, Math.min(ArtifactFileWriter.IO_SLICE_BYTES, form.length - at));
      while (slice.hasRemaining()) {
        int n = io.transfer(slice, position + at);
        if (n < 0) {
          throw new IOException("the file ends at byte " + (position + at) + " of a function's form");
        }
        at += n;
      }
    }
  }

  /** Closes the file, which frees its disk: it has no name. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw failure(directory, "cannot close the compile's file of finished functions", e);
    }
  }

  private static UncheckedIOException failure(Path directory, String what, IOException e) {
    // The channel's own failures carry no message.
    String reason = switch (e) {
      case FileSystemException fs when fs.getReason() != null -> fs.getReason();
      case ClosedByInterruptException interrupted -> "the thread was interrupted, which closes the file";
      case ClosedChannelException closed -> "the file is closed";
      default -> e.getMessage();
    };
    FileSystemException failure = new FileSystemException(directory.toString(), null, what + " (" + reason + ")");
    failure.initCause(e);
    return new UncheckedIOException(failure);
  }
}
