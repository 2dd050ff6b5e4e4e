package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.sys.Linux;
import dev.kiln.wasi.sys.LinuxErrno;
import dev.kiln.wasi.sys.SysException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolution beneath a directory without openat2: the path's components are opened one at a time
 * with openat(O_NOFOLLOW) from a stack of open directories whose bottom is the starting one. "."
 * stays, ".." pops (popping the bottom is {@link Errno#NOTCAPABLE}), a name is opened as a
 * directory without following it; a symbolic link met on the way (or last, when followed) is read
 * with readlinkat and its content spliced in front of the remaining components, an absolute content
 * being {@link Errno#NOTCAPABLE} and more than {@value #MAX_SYMLINKS} links {@link Errno#LOOP}
 * (Linux's own limit). Because each step starts from an open descriptor and never follows a link
 * by itself, a link swapped in by another process between steps is read as a link, not followed.
 */
final class ComponentWalk {
  static final int MAX_SYMLINKS = 40;

  private final int base;
  private final int flags;
  private final int mode;
  private final List<Integer> opened = new ArrayList<>();
  private int links;

  ComponentWalk(int base, int flags, int mode) {
    this.base = base;
    this.flags = flags;
    this.mode = mode;
  }

  int open(String path) {
    Deque<String> pending = new ArrayDeque<>(components(path));
    if (path.endsWith("/")) {
      pending.addLast("."); // a trailing slash: the last name must be a directory, and is followed
    }
    if (pending.isEmpty()) {
      pending.add(".");
    }
    try {
      while (true) {
        String c = pending.removeFirst();
        boolean last = pending.isEmpty();
        if (c.equals("..")) {
          if (opened.isEmpty()) {
            throw new WasiException(Errno.NOTCAPABLE, "'..' leads out of the directory");
          }
          Linux.close(opened.removeLast());
        }
        if (c.equals(".") || c.equals("..")) {
          if (last) {
            return Linux.openat(top(), ".", flags & ~Linux.O_NOFOLLOW, mode);
          }
          continue;
        }
        if (!last) {
          stepInto(c, pending);
          continue;
        }
        Integer fd = openLast(c, pending);
        if (fd != null) {
          return fd;
        }
      }
    } finally {
      for (int fd : opened) {
        Linux.close(fd);
      }
    }
  }

  private int top() {
    return opened.isEmpty() ? base : opened.getLast();
  }

  /** Opens directory {@code name} as the new top, or splices it in if it is a symbolic link. */
  private void stepInto(String name, Deque<String> pending) {
    try {
      opened.add(Linux.openat(top(), name,
          Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0));
    } catch (SysException e) {
      if (!(e.is(LinuxErrno.ENOTDIR) || e.is(LinuxErrno.ELOOP)) || !splice(name, pending)) {
        throw e;
      }
    }
  }

  /**
   * Opens the last name without following it; if it is a link and links are followed, splices it
   * and returns null for the walk to go on.
   */
  private Integer openLast(String name, Deque<String> pending) {
    boolean follow = (flags & Linux.O_NOFOLLOW) == 0;
    int fd;
    try {
      fd = Linux.openat(top(), name, flags | Linux.O_NOFOLLOW, mode);
    } catch (SysException e) {
      // open(2) of a link with O_NOFOLLOW is ELOOP (ENOTDIR with O_DIRECTORY).
      if (follow && (e.is(LinuxErrno.ELOOP) || e.is(LinuxErrno.ENOTDIR)) && splice(name, pending)) {
        return null;
      }
      throw e;
    }
    // O_PATH | O_NOFOLLOW opens a link itself instead of failing: look at what was opened.
    if (follow && (flags & Linux.O_PATH) != 0
        && Linux.statx(fd, "", Linux.AT_EMPTY_PATH).isSymbolicLink()) {
      Linux.close(fd);
      if (splice(name, pending)) {
        return null;
      }
      throw new WasiException(Errno.LOOP, name + " changed while it was resolved");
    }
    return fd;
  }

  /** If {@code name} is a symbolic link, puts its content's components in front; else false. */
  private boolean splice(String name, Deque<String> pending) {
    byte[] content;
    try {
      content = Linux.readlinkat(top(), name);
    } catch (SysException notALink) {
      return false;
    }
    if (++links > MAX_SYMLINKS) {
      throw new WasiException(Errno.LOOP, "too many symbolic links");
    }
    String target = new String(content, StandardCharsets.UTF_8);
    if (target.startsWith("/")) {
      throw new WasiException(Errno.NOTCAPABLE, "symbolic link to an absolute path");
    }
    if (target.isEmpty()) {
      throw new WasiException(Errno.NOENT, "empty symbolic link");
    }
    List<String> parts = components(target);
    if (target.endsWith("/")) {
      parts.add(".");
    }
    for (int i = parts.size() - 1; i >= 0; i--) {
      pending.addFirst(parts.get(i));
    }
    if (pending.isEmpty()) {
      pending.add(".");
    }
    return true;
  }

  private static List<String> components(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    return parts;
  }
}
