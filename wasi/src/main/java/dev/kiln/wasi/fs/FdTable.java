package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's descriptor numbers. A new descriptor takes the lowest free number, as POSIX open()
 * does, so numbering is deterministic: 0-2 are the streams, preopens follow from 3 in configuration
 * order (the order wasi-libc scans them with fd_prestat_get until {@link Errno#BADF}).
 */
public final class FdTable {
  /** A guest cannot hold more descriptors than this ({@link Errno#NFILE} beyond). */
  public static final int MAX_DESCRIPTORS = 1 << 16;

  private final List<Descriptor> slots = new ArrayList<>();

  /** An empty table; the context installs the streams and preopens. */
  public FdTable() {}

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

  /** Installs {@code d} at the lowest free number and returns it. */
  public int add(Descriptor d) {
    for (int fd = 0; fd < slots.size(); fd++) {
      if (slots.get(fd) == null) {
        slots.set(fd, d);
        return fd;
      }
    }
    if (slots.size() >= MAX_DESCRIPTORS) {
      throw new WasiException(Errno.NFILE, "descriptor table full");
    }
    slots.add(d);
    return slots.size() - 1;
  }

  /** Removes {@code fd} and closes what it referred to. */
  public void close(int fd) {
    Descriptor d = get(fd);
    slots.set(fd, null);
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
    replaced.close();
  }

  /** Closes every descriptor (the end of the guest). */
  public void closeAll() {
    for (int fd = 0; fd < slots.size(); fd++) {
      Descriptor d = slots.get(fd);
      if (d != null) {
        slots.set(fd, null);
        d.close();
      }
    }
  }
}
