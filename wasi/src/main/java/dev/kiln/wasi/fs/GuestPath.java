package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;

/**
 * A guest path as written, split where path_* calls that act on a name need it: the directory part
 * (resolved beneath the descriptor) and the last name (handed to one {@code *at} call). Only
 * relative paths exist in a capability model: an absolute one is {@link Errno#NOTCAPABLE}.
 *
 * @param text the path as the guest wrote it
 * @param parent everything before the last name, or "" when the name stands alone
 * @param name the last name, without trailing slashes; "." or ".." are possible
 * @param trailingSlash the path ended in '/': it must name a directory, and a final symbolic link
 *     is followed (POSIX path resolution)
 */
public record GuestPath(String text, String parent, String name, boolean trailingSlash) {

  public static GuestPath parse(String path) {
    if (path.isEmpty()) {
      throw new WasiException(Errno.NOENT, "empty path");
    }
    if (path.startsWith("/")) {
      throw new WasiException(Errno.NOTCAPABLE, "absolute path " + path);
    }
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    boolean trailingSlash = end < path.length();
    int slash = path.lastIndexOf('/', end - 1);
    String parent = slash < 0 ? "" : path.substring(0, slash + 1);
    return new GuestPath(path, parent, path.substring(slash + 1, end), trailingSlash);
  }

  /** The last name is "." or "..": a directory that the path's own resolution reaches. */
  public boolean endsInDots() {
    return name.equals(".") || name.equals("..");
  }

  /**
   * The name for a call that creates, removes or renames it (mkdirat, unlinkat, renameat,
   * symlinkat, linkat's new name): those never follow the last component, so its trailing slash
   * is kept for the kernel to apply POSIX's "must be a directory" rule.
   */
  public String nameForEntryCall() {
    return trailingSlash ? name + "/" : name;
  }
}
