package dev.kiln.cache;

import dev.kiln.artifact.elf.EffectiveUser;
import dev.kiln.artifact.elf.TrustedLinkWalk;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Whether a path is the user's alone: nobody but this process's user and root can have written what
 * it names or can replace it. The compiled-module cache holds code the user will run, so its
 * directory, its entries and the key that tags them must pass this before anything in them is read.
 *
 * <p><b>A directory</b> is walked from {@code /} one component at a time, following symbolic links
 * by hand as the kernel would (path_resolution(7), the walk of {@link TrustedLinkWalk} that {@code
 * kiln compile -o} also takes), each component looked at without following it ({@code lstat}):
 * every directory on the way must belong to the user or root and be writable by
 * group or others only with the sticky bit (as {@code /tmp}: then others cannot rename or delete
 * what is not theirs, unlink(2) EPERM); every symbolic link must belong to the user or root; the
 * directory itself must belong to the user and be writable by nobody else. A missing component is
 * made {@code rwx------} (the XDG Base Directory Specification's mode for the directories it
 * names), and one someone else made first is then judged as any other.
 *
 * <p><b>Why a walk of {@code lstat}s and not {@code open} and {@code fstat}.</b> Once a directory
 * passes, only the user and root can change what its names point to, and the same holds of every
 * directory above it, so the next look at a name sees what the check saw: no other user can win a
 * race between the check and the use. That makes the simpler path-based check sound here, through
 * {@code java.nio} ({@link LinkOption#NOFOLLOW_LINKS}, the "unix" attribute view's {@code st_mode}
 * and {@code st_uid}) rather than descriptors: this module needs no native code. What a file holds
 * is then checked by its HMAC tag in a private copy, so even the user's own later writes to it cannot
 * change what runs.
 */
final class PrivatePath {
  // st_mode (inode(7)).
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  private static final int S_ISVTX = 01000;
  private static final int GROUP_OTHER_WRITE = 0022;
  private static final int ROOT = 0;

  /** Who may touch a file besides its owner. */
  enum Sharing {
    /** Group and others may read, not write: a cache entry. */
    READ(0022, "writable"),
    /** Nobody else may read or write: the key. */
    NONE(0077, "readable or writable");

    final int forbidden;
    final String what;

    Sharing(int forbidden, String what) {
      this.forbidden = forbidden;
      this.what = what;
    }
  }

  private PrivatePath() {}

  /** The process's user id, once known ({@link #user}); -1 before. */
  private static volatile int user = -1;

  /** The process's user id: the owner of {@code /proc/self}, which is the effective user's (proc(5)). */
  private static int user() throws IOException {
    int known = user;
    if (known < 0) {
      known = EffectiveUser.id();
      user = known;
    }
    return known;
  }

  private record Status(int mode, int uid) {
    static Status of(Path path) throws IOException {
      Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
      return new Status((Integer) a.get("mode"), (Integer) a.get("uid"));
    }

    boolean is(int type) {
      return (mode & S_IFMT) == type;
    }

    String octal() {
      return String.format("%04o", mode & 07777);
    }
  }

  /**
   * Checks {@code directory} as the class comment says, making what is missing when {@code create}.
   *
   * @return whether it exists (always, when {@code create})
   * @throws UntrustedPathException naming the first component that fails and why
   * @throws NotDirectoryException naming a component that is a file
   */
  static boolean requireDirectory(Path directory, boolean create) throws IOException {
    int me = user();
    Path resolved = TrustedLinkWalk.resolve(directory, new TrustedLinkWalk.Rules() {
      @Override
      public IOException foreignLink(Path link, int owner, int user) {
        return new UntrustedPathException(link, "a symbolic link owned by user " + owner
            + ", not by this user (" + user + ") or root");
      }

      @Override
      public IOException tooManyLinks(Path path) {
        return new UntrustedPathException(path, "more than " + TrustedLinkWalk.MAX_LINKS
            + " symbolic links to follow");
      }

      @Override
      public void lookingIn(Path ancestor, int mode, int owner) throws IOException {
        // A directory whose names are looked up: the last one is judged more strictly, after the walk.
        requireAncestor(ancestor, new Status(mode, owner));
      }

      @Override
      public boolean make(Path missing) throws IOException {
        if (!create) {
          return false;
        }
        try {
          Files.createDirectory(missing,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
          // Made meanwhile by someone: judged by the walk like anything found.
        }
        return true;
      }

      @Override
      public void notDirectory(Path file) throws IOException {
        throw new NotDirectoryException(file.toString());
      }
    });
    Status last;
    try {
      last = Status.of(resolved);
    } catch (NoSuchFileException e) {
      return false; // a component is missing and create is false: the walk stopped there
    }
    if (!last.is(S_IFDIR)) {
      throw new NotDirectoryException(resolved.toString());
    }
    if (last.uid() != me) {
      throw new UntrustedPathException(resolved, "owned by user " + last.uid() + ", not by this user (" + me + ")");
    }
    if ((last.mode() & GROUP_OTHER_WRITE) != 0) {
      throw new UntrustedPathException(resolved, "writable by group or others (mode " + last.octal() + ")");
    }
    return true;
  }

  /**
   * Checks that {@code file}, in a directory that passed {@link #requireDirectory}, is the user's
   * and that others can touch it only as {@code sharing} allows. Something of the user's that is not
   * a file (a directory in its place) passes: reading it fails, as it would for any reader.
   *
   * @return whether it exists
   * @throws UntrustedPathException if it is a symbolic link, belongs to someone else, or others have
   *     more access than {@code sharing} allows
   */
  static boolean requireFileIfPresent(Path file, Sharing sharing) throws IOException {
    int me = user();
    Status status;
    try {
      status = Status.of(file);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (status.is(S_IFLNK)) {
      throw new UntrustedPathException(file, "a symbolic link, not a file");
    }
    if (status.uid() != me) {
      throw new UntrustedPathException(file, "owned by user " + status.uid() + ", not by this user (" + me + ")");
    }
    if ((status.mode() & sharing.forbidden) != 0) {
      throw new UntrustedPathException(file, sharing.what + " by group or others (mode " + status.octal() + ")");
    }
    return true;
  }

  /** A directory on the way: the user's or root's, and nobody else can rename what is in it. */
  private static void requireAncestor(Path directory, Status status) throws IOException {
    int me = user();
    if (status.uid() != me && status.uid() != ROOT) {
      throw new UntrustedPathException(directory, "owned by user " + status.uid() + ", not by this user ("
          + me + ") or root, who could replace what is in it");
    }
    if ((status.mode() & GROUP_OTHER_WRITE) != 0 && (status.mode() & S_ISVTX) == 0) {
      throw new UntrustedPathException(directory, "writable by group or others without the sticky bit (mode "
          + status.octal() + "), who could replace what is in it");
    }
  }
}
