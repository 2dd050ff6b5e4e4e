package dev.kiln.artifact.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user this process acts as, for the checks that a file Kiln trusts (an artifact, a cache entry,
 * the compile's spill, a profile) is this user's and no one else's. Java has no {@code geteuid()};
 * {@code /proc/self} is owned by the process's effective user (proc(5)), which is the user the
 * kernel checks file access for.
 */
public final class EffectiveUser {
  private EffectiveUser() {}

  /** The process's effective user id, read now. */
  public static int id() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }
}
