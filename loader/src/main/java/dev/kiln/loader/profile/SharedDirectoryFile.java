package dev.kiln.loader.profile;

import dev.kiln.artifact.elf.EffectiveUser;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Opens a file of a fixed, guessable name in a directory other users can write to ({@code /tmp}),
 * to append to, so that nothing another local user planted at the name first is opened (red team 27
 * F3: a FIFO there blocked {@code open(2)} for ever, and a world-writable file of theirs received
 * the process's code addresses).
 *
 * <p>The file is created {@code O_CREAT|O_EXCL} with mode 0600, which opens nothing that exists:
 * not a symbolic link (open(2): "If O_CREAT and O_EXCL are set ... symbolic links are not
 * followed"), not a FIFO, not another user's file. When the name exists, it is looked at without
 * following it ({@code lstat}) and opened, without {@code O_CREAT} and not through a link, only if it
 * is a regular file of this user's that nobody else can write. No other user can swap it for
 * something else between that look and the open, because the directory must be one where nobody
 * but the user and root can rename or delete a file of the user's: the user's or root's, and
 * writable by group or others only with the sticky bit (unlink(2), EPERM; as {@code /tmp} is).
 * Through {@code java.nio} paths, as {@code dev.kiln.cache.PrivatePath} argues for the cache, so
 * no native code is needed.
 */
final class SharedDirectoryFile {
  // st_mode (inode(7)).
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_ISVTX = 01000;
  private static final int GROUP_OTHER_WRITE = 0022;
  private static final int ROOT = 0;

  private SharedDirectoryFile() {}

  /**
   * Opens {@code path} to append to, creating it 0600 if it is missing.
   *
   * @throws UntrustedFileException if its directory lets others replace it, or what is at the name is
   *     not a regular file of this user's writable by nobody else
   * @throws IOException as {@link FileChannel#open} does otherwise
   */
  static FileChannel openToAppend(Path path) throws IOException {
    Path directory = path.toAbsolutePath().getParent();
    int user = EffectiveUser.id();
    requireNoOneElseCanReplace(directory, user);
    try {
      return FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException exists) {
      requireOwnPrivateFile(path, user);
      return FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static void requireNoOneElseCanReplace(Path directory, int user) throws IOException {
    Map<String, Object> status = Files.readAttributes(directory, "unix:mode,uid");
    int mode = (Integer) status.get("mode");
    int owner = (Integer) status.get("uid");
    if (owner != user && owner != ROOT) {
      throw new UntrustedFileException(directory, "owned by user " + owner + ", not by this user (" + user
          + ") or root, who could replace what is in it");
    }
    if ((mode & GROUP_OTHER_WRITE) != 0 && (mode & S_ISVTX) == 0) {
      throw new UntrustedFileException(directory, "writable by group or others without the sticky bit (mode "
          + octal(mode) + "), who could replace what is in it");
    }
  }

  private static void requireOwnPrivateFile(Path path, int user) throws IOException {
    Map<String, Object> status = Files.readAttributes(path, "unix:mode,uid,nlink", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) status.get("mode");
    int owner = (Integer) status.get("uid");
    int links = (Integer) status.get("nlink");
    if ((mode & S_IFMT) != S_IFREG) {
      throw new UntrustedFileException(path, kind(mode) + ", not a regular file");
    }
    if (owner != user) {
      throw new UntrustedFileException(path, "owned by user " + owner + ", not by this user (" + user + ")");
    }
    if ((mode & GROUP_OTHER_WRITE) != 0) {
      throw new UntrustedFileException(path, "writable by group or others (mode " + octal(mode) + ")");
    }
    // A file this process made has one name. Another user may hard-link any file of ours into the
    // shared directory where the kernel allows it (fs.protected_hardlinks=0), and appending to that
    // name would append to our other file (red team 29 F3).
    if (links != 1) {
      throw new UntrustedFileException(path, "a file with " + links + " names (a hard link to another file)");
    }
  }

  /** What an {@code st_mode} that is not a regular file's names. */
  private static String kind(int mode) {
    return switch (mode & S_IFMT) {
      case 0010000 -> "a FIFO";
      case 0120000 -> "a symbolic link";
      case 0040000 -> "a directory";
      case 0140000 -> "a socket";
      case 0020000, 0060000 -> "a device";
      default -> "something";
    };
  }

  private static String octal(int mode) {
    return String.format("%04o", mode & 07777);
  }
}
