package dev.kiln.artifact.elf;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

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
 *
 * <p>The one walk of Kiln's two users of it: {@code kiln compile -o} ({@link #resolve(Path)}), and
 * the compiled-module cache, which also judges every directory a name is looked up in and makes the
 * missing ones ({@link #resolve(Path, Rules)} with rules of its own).
 */
public final class TrustedLinkWalk {
  /** The kernel's limit on symbolic links in one resolution, past which it fails with ELOOP (path_resolution(7)). */
  public static final int MAX_LINKS = 40;
  private static final int ROOT = 0;
  // st_mode (inode(7)).
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;

  /**
   * What a caller adds to the walk, and how it words a refusal. Every method but the two refusals
   * has a default: the walk of {@link #resolve(Path)}.
   */
  public interface Rules {
    /** The refusal of a symbolic link that neither this user ({@code me}) nor root owns. */
    IOException foreignLink(Path link, int owner, int me);

    /** The refusal of a path that holds more than {@link #MAX_LINKS} links. */
    IOException tooManyLinks(Path path);

    /**
     * Called before a name is looked up in {@code directory} (which holds no link itself), with the
     * directory's {@code st_mode} and owner.
     */
    default void lookingIn(Path directory, int mode, int owner) throws IOException {}

    /** Called for a component that does not exist: true if it made it, so the walk goes on into it. */
    default boolean make(Path missing) throws IOException {
      return false;
    }

    /** Called for a component that is neither a link nor a directory and has names after it. */
    default void notDirectory(Path file) throws IOException {}
  }

  /** The refusals of {@link #resolve(Path)}: for a file Kiln is about to write. */
  private static final Rules WRITING = new Rules() {
    @Override
    public IOException foreignLink(Path link, int owner, int me) {
      return new FileSystemException(link.toString(), null, "a symbolic link owned by user " + owner
          + ", not by this user (" + me + ") or root: kiln does not write through it");
    }

    @Override
    public IOException tooManyLinks(Path path) {
      return new FileSystemException(path.toString(), null, "more than " + MAX_LINKS
          + " symbolic links to follow (a loop of links?)");
    }
  };

  private TrustedLinkWalk() {}

  /**
   * {@code path} made absolute with every symbolic link in it followed.
   *
   * @throws FileSystemException naming a link owned by another user, or the path, if it holds more
   *     than {@link #MAX_LINKS} links
   */
  static Path resolve(Path path) throws IOException {
    return resolve(path, WRITING);
  }

  /**
   * {@code path} made absolute with every symbolic link in it followed, under {@code rules}.
   *
   * @throws IOException what {@code rules} throws or returns as a refusal
   */
  public static Path resolve(Path path, Rules rules) throws IOException {
    Path absolute = path.toAbsolutePath();
    int me = EffectiveUser.id();
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
      Map<String, Object> here = status(current);
      rules.lookingIn(current, (Integer) here.get("mode"), (Integer) here.get("uid"));
      Path next = current.resolve(name);
      Map<String, Object> status;
      try {
        status = status(next);
      } catch (NoSuchFileException e) {
        if (!rules.make(next)) {
          return appendAll(next, pending);
        }
        status = status(next); // made now, by the rules or by someone else: judged as found
      }
      int type = (Integer) status.get("mode") & S_IFMT;
      if (type != S_IFLNK) {
        current = next;
        if (!pending.isEmpty() && type != S_IFDIR) {
          // A file used as a directory: nothing further to follow.
          rules.notDirectory(next);
          return appendAll(current, pending);
        }
        continue;
      }
      int owner = (Integer) status.get("uid");
      if (owner != me && owner != ROOT) {
        throw rules.foreignLink(next, owner, me);
      }
      if (++links > MAX_LINKS) {
        throw rules.tooManyLinks(absolute);
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

  /** {@code lstat}'s mode and owner of {@code path}: the "unix" view, links not followed. */
  private static Map<String, Object> status(Path path) throws IOException {
    return Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
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
