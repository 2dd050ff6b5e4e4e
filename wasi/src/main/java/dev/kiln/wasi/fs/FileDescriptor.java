package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.FileType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * An open regular file: a {@link FileChannel} (whose position is the descriptor's offset, shared by
 * fd_read/fd_write/fd_seek as POSIX shares it) and the host path it was opened at, for
 * fd_filestat_get/set_times which java.nio only offers by path.
 */
public final class FileDescriptor extends Descriptor {
  private final FileChannel channel;
  private final Path hostPath;

  public FileDescriptor(FileChannel channel, Path hostPath, long rightsBase, int flags) {
    super(rightsBase, 0, flags);
    this.channel = channel;
    this.hostPath = hostPath;
  }

  public FileChannel channel() {
    return channel;
  }

  public Path hostPath() {
    return hostPath;
  }

  @Override
  public FileType fileType() {
    return FileType.REGULAR_FILE;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // fd_close has already released the number; a failed close loses nothing the guest can observe.
    }
  }
}
