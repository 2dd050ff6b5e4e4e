package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One preopened directory and the rule that keeps guest paths inside it.
 *
 * <p>The model: a guest path is resolved here, never by the host kernel. It is split on '/', and the
 * components are applied one by one to a stack of plain names below the preopen's root: "" and "."
 * do nothing, ".." pops (popping past the root is {@link Errno#NOTCAPABLE}), a name is looked up
 * with {@link LinkOption#NOFOLLOW_LINKS}. A symbolic link met on the way (or as the last component
 * when the operation follows links) is read and its target's components are spliced in front of
 * the rest, under the same rules; an absolute target, like an absolute guest path, is
 * {@link Errno#NOTCAPABLE}, and more than {@value #MAX_SYMLINKS} links is {@link Errno#LOOP} (Linux's
 * limit). So the host path finally handed to java.nio is the root joined with plain names only, each
 * of which was a directory when checked, and the final host operation itself is done with
 * NOFOLLOW_LINKS where java.nio offers it. What this model cannot exclude is a race: another host
 * process replacing a checked directory by a symlink between the check and the use (openat2's
 * RESOLVE_BENEATH would, but java.nio has no dirfd-relative calls). Guests cannot create such a race
 * by themselves, since their own symlinks are resolved by these rules.
 */
public final class Sandbox {
  /** Linux's SYMLOOP_MAX-style limit on links followed during one resolution. */
  public static final int MAX_SYMLINKS = 40;

  private final Path root;

  /** {@code root} must be an existing directory; it is made absolute and real once, here. */
  public Sandbox(Path root) throws IOException {
    Path real = root.toRealPath();
    if (!Files.isDirectory(real)) {
      throw new NotDirectoryException(real.toString());
    }
    this.root = real;
  }

  public Path root() {
    return root;
  }

  /** The host path of plain names below the root. */
  public Path hostPath(List<String> components) {
    Path p = root;
    for (String c : components) {
      p = p.resolve(c);
    }
    return p;
  }

  /**
   * A resolved guest path.
   *
   * @param components plain names below the root (empty: the root itself)
   * @param host the host path those names denote
   * @param trailingSlash the guest path ended in '/' (or "/."): it must name a directory
   * @param endsInDots the last component the guest wrote was "." or ".." — operations that create
   *     or remove the named entry refuse such a path with {@link Errno#INVAL}, as rmdir(".") does
   */
  public record Resolved(List<String> components, Path host, boolean trailingSlash,
      boolean endsInDots) {
    public boolean isRoot() {
      return components.isEmpty();
    }

    /** The last name, or fails for the root. */
    public String name() {
      if (components.isEmpty()) {
        throw new WasiException(Errno.INVAL, "path names the preopen itself");
      }
      return components.getLast();
    }
  }

  /**
   * Resolves {@code guestPath} relative to {@code start} (components of a directory in this
   * sandbox). {@code followFinal}: whether a symlink as the last component is followed (lookupflags
   * symlink_follow); a trailing slash always follows it, as POSIX path resolution does.
   */
  public Resolved resolve(List<String> start, String guestPath, boolean followFinal) {
    if (guestPath.isEmpty()) {
      throw new WasiException(Errno.NOENT, "empty path");
    }
    if (guestPath.startsWith("/")) {
      throw new WasiException(Errno.NOTCAPABLE, "absolute path " + guestPath);
    }
    boolean trailingSlash = endsLikeDirectory(guestPath);
    boolean endsInDots = endsInDots(guestPath);
    Deque<String> pending = new ArrayDeque<>(split(guestPath));
    List<String> stack = new ArrayList<>(start);
    int links = 0;
    while (!pending.isEmpty()) {
      String c = pending.removeFirst();
      if (c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (stack.isEmpty()) {
          throw new WasiException(Errno.NOTCAPABLE, "'..' leaves the preopened directory");
        }
        stack.removeLast();
        continue;
      }
      boolean last = onlyDots(pending) && !containsDotDot(pending);
      Path candidate = hostPath(stack).resolve(c);
      BasicFileAttributes attrs = attributes(candidate);
      if (attrs != null && attrs.isSymbolicLink() && (!last || followFinal || trailingSlash)) {
        if (++links > MAX_SYMLINKS) {
          throw new WasiException(Errno.LOOP, "too many symbolic links in " + guestPath);
        }
        String target = readLink(candidate);
        if (target.startsWith("/")) {
          throw new WasiException(Errno.NOTCAPABLE, "symbolic link to absolute path " + target);
        }
        if (target.isEmpty()) {
          throw new WasiException(Errno.NOENT, "empty symbolic link");
        }
        List<String> spliced = split(target);
        for (int i = spliced.size() - 1; i >= 0; i--) {
          pending.addFirst(spliced.get(i));
        }
        continue;
      }
      if (!last) {
        if (attrs == null) {
          throw new WasiException(Errno.NOENT, "no such directory " + c);
        }
        if (!attrs.isDirectory()) {
          throw new WasiException(Errno.NOTDIR, c + " is not a directory");
        }
      }
      stack.add(c);
    }
    // A final "." / ".." (or a trailing slash) after a name: that name must be a directory.
    Path host = hostPath(stack);
    if (trailingSlash && !stack.isEmpty()) {
      BasicFileAttributes attrs = attributes(host);
      if (attrs != null && !attrs.isDirectory()) {
        throw new WasiException(Errno.NOTDIR, guestPath + " is not a directory");
      }
    }
    return new Resolved(List.copyOf(stack), host, trailingSlash, endsInDots);
  }

  /** The attributes of {@code path} itself (not a link's target), or null if nothing is there. */
  public static BasicFileAttributes attributes(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw IoErrors.toWasi(e);
    }
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      throw IoErrors.toWasi(e);
    }
  }

  private static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    return parts;
  }

  private static boolean onlyDots(Deque<String> rest) {
    for (String s : rest) {
      if (!s.equals(".") && !s.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsDotDot(Deque<String> rest) {
    return rest.contains("..");
  }

  private static boolean endsLikeDirectory(String path) {
    return path.endsWith("/") || path.endsWith("/.") || path.equals(".")
        || path.endsWith("/..") || path.equals("..");
  }

  private static boolean endsInDots(String path) {
    String trimmed = path;
    while (trimmed.endsWith("/") && trimmed.length() > 1) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.equals(".") || trimmed.equals("..") || trimmed.endsWith("/.")
        || trimmed.endsWith("/..");
  }
}
