package dev.kiln.artifact.elf;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path the way the kernel does (path_resolution(7)), one component and one symbolic link
 * at a time, refusing every link that neither this user nor root owns, wherever it is: the last
 * component, a link that another link names, or a directory component. {@code toRealPath()} would
 * follow the whole chain, so a link of the user's own that names another user's link would let that
 * user choose which of this user's files gets replaced (red-team finding F4, issue 35). The rule is
 * the simple form of {@code fs.protected_symlinks} (proc(5)), which the kernel applies only in sticky
 * world-writable directories and which a host may have turned off: here it holds everywhere.
 *
 * <p>At most {@link #MAX_LINKS} links are followed, the kernel's limit before {@code ELOOP}, so a
 * loop ends in one error naming the path. A component that does not exist, or is not a directory
 * where one is needed, ends the walk: the rest is appended unresolved, for the caller's own check to
 * report as it would for a path without links.
 */
final class TrustedLinkWalk {
  /** The kernel's limit on symbolic links in one resolution, past which it fails with ELOOP (path_resolution(7)). */
  static final int MAX_LINKS = 40;
  private static final int ROOT = 0;

  private TrustedLinkWalk() {}

  /**
   * {@code path} made absolute with every symbolic link in it followed.
   *
   * @throws FileSystemException naming a link owned by another user, or the path, if it holds more
   *     than {@link #MAX_LINKS} links
   */
  static Path resolve(Path path) throws IOException {
    Path absolute = path.toAbsolutePath();
    int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    Path current = absolute.getRoot();
    Deque<String> pending = new ArrayDeque<>();
    absolute.forEach(name -> pending.addLast(name.toString()));
    int links = 0;
    while (!pending.isEmpty()) {
      String name = pending.pollFirst();
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        // current has no link left in it, so its parent is where ".." leads.
        current = current.getParent() == null ? current : current.getParent();
        continue;
      }
      Path next = current.resolve(name);
      if (!Files.isSymbolicLink(next)) {
        current = next;
        if (!pending.isEmpty() && !Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
          // Missing, or a file used as a directory: nothing further to follow.
          return appendAll(current, pending);
        }
        continue;
      }
      int owner = (Integer) Files.getAttribute(next, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (owner != me && owner != ROOT) {
        throw new FileSystemException(next.toString(), null, "a symbolic link owned by user " + owner
            + ", not by this user (" + me + ") or root: kiln does not write through it");
      }
      if (++links > MAX_LINKS) {
        throw new FileSystemException(absolute.toString(), null, "more than " + MAX_LINKS
            + " symbolic links to follow (a loop of links?)");
      }
      Path target = Files.readSymbolicLink(next);
      if (target.isAbsolute()) {
        current = target.getRoot();
      }
      // A relative target is relative to the link's own directory, which is current.
      String[] names = new String[target.getNameCount()];
      for (int i = 0; i < names.length; i++) {
        names[i] = target.getName(i).toString();
      }
      for (int i = names.length - 1; i >= 0; i--) {
        pending.addFirst(names[i]);
      }
    }
    return current;
  }

  private static Path appendAll(Path start, Deque<String> names) {
    Path result = start;
    for (String name : names) {
      result = result.resolve(name);
    }
    return result;
  }

  /** For a caller that found the resolved file missing: the link that named it, for the error. */
  static NoSuchFileException dangling(Path link) throws IOException {
    return new NoSuchFileException(link.toAbsolutePath().toString(), Files.readSymbolicLink(link).toString(),
        "a symbolic link to a file that does not exist");
  }
}
