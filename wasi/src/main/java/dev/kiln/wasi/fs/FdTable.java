package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's descriptor numbers. A new descriptor takes the lowest free number, as POSIX open()
 * does, so numbering is deterministic: 0-2 are the streams, preopens follow from 3 in configuration
 * order (the order wasi-libc scans them with fd_prestat_get until {@link Errno#BADF}).
 *
 * <p>Each descriptor a guest opens holds a host file descriptor, and the host process has a limited
 * number (RLIMIT_NOFILE), shared with the embedder and every other guest: a guest opening files in
 * a loop would otherwise take them all. So the table holds at most {@code maxOpen} descriptors,
 * counting the streams and preopens as RLIMIT_NOFILE counts a process's standard streams, and a
 * guest's open past it fails with {@link Errno#MFILE}, what open(2) returns at RLIMIT_NOFILE. The
 * streams and preopens the embedder gives are installed whatever the limit.
 */
public final class FdTable {
  private final int maxOpen;
  private final List<Descriptor> slots = new ArrayList<>();
  private int open;

  /** An empty table holding at most {@code maxOpen} descriptors; the context installs the streams and preopens. */
  public FdTable(int maxOpen) {
    if (maxOpen < 1) {
      throw new IllegalArgumentException("the open-descriptor limit must be at least 1, got " + maxOpen);
    }
    this.maxOpen = maxOpen;
  }

  /** The descriptor numbered {@code fd}, or {@link Errno#BADF}. */
  public Descriptor get(int fd) {
    if (fd < 0 || fd >= slots.size() || slots.get(fd) == null) {
      throw new WasiException(Errno.BADF, "fd " + fd);
    }
    return slots.get(fd);
  }

  /** The descriptor if it is of {@code kind}; {@code otherwise} if it is of another kind. */
  public <T extends Descriptor> T get(int fd, Class<T> kind, Errno otherwise) {
    Descriptor d = get(fd);
    if (!kind.isInstance(d)) {
      throw new WasiException(otherwise, "fd " + fd + " is a " + d.fileType());
    }
    return kind.cast(d);
  }

  /**
   * Installs {@code d}, which the guest opened, at the lowest free number and returns it; {@link
   * Errno#MFILE} if the table already holds its limit (the caller still owns {@code d} then).
   */
  public int add(Descriptor d) {
    if (open >= maxOpen) {
      throw new WasiException(Errno.MFILE, open + " descriptors open, the most this guest may have");
    }
    return install(d);
  }

  /** Installs {@code d}, a stream or preopen the embedder gives, whatever the limit. */
  public int install(Descriptor d) {
    open++;
    for (int fd = 0; fd < slots.size(); fd++) {
      if (slots.get(fd) == null) {
        slots.set(fd, d);
        return fd;
      }
    }
    slots.add(d);
    return slots.size() - 1;
  }

  /** Descriptors open now. */
  public int openCount() {
    return open;
  }

  /** Removes {@code fd} and closes what it referred to. */
  public void close(int fd) {
    Descriptor d = get(fd);
    slots.set(fd, null);
    open--;
    d.close();
  }

  /** fd_renumber: {@code to} (which must be open) is closed and replaced by {@code from}. */
  public void renumber(int from, int to) {
    Descriptor moving = get(from);
    Descriptor replaced = get(to);
    if (from == to) {
      return;
    }
    slots.set(to, moving);
    slots.set(from, null);
    open--;
    replaced.close();
  }

  /** Closes every descriptor (the end of the guest). */
  public void closeAll() {
    for (int fd = 0; fd < slots.size(); fd++) {
      Descriptor d = slots.get(fd);
      if (d != null) {
        slots.set(fd, null);
        open--;
        d.close();
      }
    }
  }
}
