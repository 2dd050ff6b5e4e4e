package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.WasiException;

/**
 * What a WASI file descriptor refers to: a byte stream (stdin/stdout/stderr), an open regular file,
 * or a directory inside a preopen's sandbox. Each carries the two rights sets of the preview1
 * capability model and its {@code fdflags}; both only ever shrink or toggle through the guest's own
 * calls (fd_fdstat_set_rights cannot add rights, witx says "can only remove").
 */
public abstract sealed class Descriptor
    permits StreamDescriptor, FileDescriptor, DirectoryDescriptor {
  private long rightsBase;
  private long rightsInheriting;
  private int flags;

  protected Descriptor(long rightsBase, long rightsInheriting, int flags) {
    this.rightsBase = rightsBase;
    this.rightsInheriting = rightsInheriting;
    this.flags = flags;
  }

  /** The filetype fd_fdstat_get and fd_filestat_get report. */
  public abstract FileType fileType();

  /** Releases the host resource; the table has already forgotten this descriptor. */
  public abstract void close();

  public long rightsBase() {
    return rightsBase;
  }

  public long rightsInheriting() {
    return rightsInheriting;
  }

  public int flags() {
    return flags;
  }

  public void setFlags(int flags) {
    this.flags = flags;
  }

  /** Narrows the rights; widening is {@link Errno#NOTCAPABLE} (fd_fdstat_set_rights). */
  public void narrowRights(long base, long inheriting) {
    if ((base & ~rightsBase) != 0 || (inheriting & ~rightsInheriting) != 0) {
      throw new WasiException(Errno.NOTCAPABLE, "rights can only be removed");
    }
    rightsBase = base;
    rightsInheriting = inheriting;
  }

  /** Fails with {@link Errno#NOTCAPABLE} unless every bit of {@code rights} is in the base set. */
  public void require(long rights) {
    if ((rightsBase & rights) != rights) {
      throw new WasiException(Errno.NOTCAPABLE, "descriptor lacks rights 0x" + Long.toHexString(rights));
    }
  }
}
