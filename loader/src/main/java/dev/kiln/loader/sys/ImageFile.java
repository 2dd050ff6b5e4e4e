package dev.kiln.loader.sys;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * A sealed in-memory file (memfd_create(2)) holding bytes that are mapped copy-on-write into many
 * places: a module's initial linear-memory contents, mapped {@code MAP_PRIVATE} over each
 * instance's memory instead of copied into it. Only this process has the descriptor, and once
 * filled the file is sealed ({@code F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL},
 * fcntl(2)): nobody, this process included, can change the bytes afterwards, so a page an instance
 * has not yet written (and so not yet copied) can never show a later change to the file.
 *
 * <p>Closing the descriptor ({@link #close()}) leaves the mappings made from it working: the
 * kernel keeps the file while any mapping holds it.
 */
public final class ImageFile implements AutoCloseable {
  private final int fd;
  private final long size;
  /**
   * The file's bytes, mapped read-only and shared for this object's life: what a pooled memory's
   * reset copies back over the pages an instance may have written ({@code pool.MemorySlot}), with a
   * plain copy instead of a {@code madvise} that would drop the pages from every core's TLB.
   */
  private final MemorySegment contents;
  /** Set by {@link #close()}, which its owner calls only once nothing maps it any more. */
  private volatile boolean closed;
  /** Which of {@link #close()}'s releases have run; under the lock. */
  private boolean contentsUnmapped;
  private boolean descriptorClosed;

  private ImageFile(int fd, long size, MemorySegment contents) {
    this.fd = fd;
    this.size = size;
    this.contents = contents;
  }

  /**
   * Stack {@link #create} asks for before it starts, whatever its caller checked: its downcalls and
   * what runs after each returned are far less, so no overflow lands between a mapping or
   * descriptor made and the handler that gives it back. As much as a shared arena's close ({@link
   * SharedArenaClose#ROOM}), which a module load around it does not check for.
   */
  static final long CREATE_ROOM = SharedArenaClose.ROOM;

  /**
   * A file of {@code size} bytes (page-aligned) whose contents {@code fill} writes through a
   * writable shared mapping, which is removed before the file is sealed. Either returns the file or
   * throws having left no descriptor and no mapping of it (issue 35: one that failed after its
   * read-only view was mapped left the view mapped for the process's life).
   *
   * @throws NativeException if the kernel refuses a step
   * @throws StackOverflowError before anything is made, if less than {@link #CREATE_ROOM} is left
   */
  public static ImageFile create(String name, long size, Consumer<MemorySegment> fill) {
    return create(name, size, fill, AddressSegments.PLAIN);
  }

  /** {@link #create(String, long, Consumer)} with its segments made by {@code segments} (a test's fails on cue). */
  static ImageFile create(String name, long size, Consumer<MemorySegment> fill, AddressSegments segments) {
    if (size <= 0 || size % VirtualMemory.pageSize() != 0) {
      throw new IllegalArgumentException("an image file's size must be whole pages, got " + size);
    }
    ThreadStack.requireRoom(CREATE_ROOM, "making an image file");
    int fd = Libc.memfdCreate(name);
    long view = 0;
    try {
      Libc.ftruncate(fd, size);
      long address = Libc.mmapFile(0, size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd);
      try {
        fill.accept(segments.over(address, size));
      } finally {
        Libc.munmap(address, size);
      }
      Libc.addSeals(fd, Libc.F_SEAL_WRITE | Libc.F_SEAL_GROW | Libc.F_SEAL_SHRINK | Libc.F_SEAL_SEAL);
      // Read-only and shared: the seal refuses only writable shared mappings (memfd_create(2)), and
      // PROT_READ makes the copy unwritable from this process as well.
      view = Libc.mmapFile(0, size, Libc.PROT_READ, Libc.MAP_SHARED, fd);
      return new ImageFile(fd, size, segments.over(view, size).asReadOnly());
    } catch (RuntimeException | Error e) {
      if (view != 0) {
        Libc.munmap(view, size); // the segment or the object failed to be made: no one else unmaps it
      }
      Libc.close(fd);
      throw e;
    }
  }

  public long size() {
    return size;
  }

  /**
   * Maps the whole file copy-on-write, read-write, at {@code address} (page-aligned), replacing
   * what was mapped there: writes go to private copies of the pages, never to the file.
   */
  void mapPrivateAt(long address) {
    if (closed) {
      throw new IllegalStateException("the image file is closed");
    }
    Libc.mmapFile(address, size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_FIXED, fd);
  }

  /**
   * The file's bytes (read-only), to copy from while the owner keeps the file open: a pooled
   * memory's reset, which runs before its instance lets go of the module that owns the image.
   */
  public MemorySegment contents() {
    if (closed) {
      throw new IllegalStateException("the image file is closed");
    }
    return contents;
  }

  /**
   * Closes the descriptor and unmaps {@link #contents()}; idempotent. Called by the owner once nothing
   * will map the file or copy from it again.
   */
  @Override
  public synchronized void close() {
    closed = true; // first: nothing copies from the contents from here on
    // Each release marked only once it returned: a close a throwable interrupted is finished by
    // the next, never leaving the mapping or the descriptor for good nor releasing one twice (issue 35).
    if (!contentsUnmapped) {
      Libc.munmap(contents.address(), size);
      contentsUnmapped = true;
    }
    if (!descriptorClosed) {
      Libc.close(fd);
      descriptorClosed = true;
    }
  }
}
