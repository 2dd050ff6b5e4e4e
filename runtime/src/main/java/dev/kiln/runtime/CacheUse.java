package dev.kiln.runtime;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a {@link WasmModule#compile} did with its engine's compiled-module cache ({@link
 * Engine.Builder#moduleCache}): {@link WasmModule#cacheUse()}. A cache never stops a compile; when
 * it cannot be used the module runs from memory, and this says why, for a warning.
 */
public sealed interface CacheUse {
  /** No cache was involved: the engine has none, or the module was loaded from a {@code .cwasm}. */
  record Uncached() implements CacheUse {
    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof Uncached other;
    }

    @Override
    public int hashCode() {
      return 0;
    }

    @Override
    public String toString() {
      return "Uncached[]";
    }
  }

  /**
   * A stored entry matched (bytes, compiler build, settings) and passed every check: nothing was
   * compiled.
   *
   * @param entry the entry's file
   */
  record Hit(Path entry) implements CacheUse {
    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof Hit other && java.util.Objects.equals(entry, other.entry);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hashCode(entry);
    }

    @Override
    public String toString() {
      return "Hit[entry=" + entry + "]";
    }
  }

  /**
   * The module was compiled, stored and loaded from the new entry.
   *
   * @param entry the entry's file
   */
  record Stored(Path entry) implements CacheUse {
    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof Stored other && java.util.Objects.equals(entry, other.entry);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hashCode(entry);
    }

    @Override
    public String toString() {
      return "Stored[entry=" + entry + "]";
    }
  }

  /**
   * The module was compiled but could not be stored (a read-only or full disk, a file in the
   * directory's place): it runs from memory.
   *
   * @param directory the cache's directory
   * @param reason what the file system said
   */
  record NotStored(Path directory, IOException reason) implements CacheUse {
    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof NotStored other && java.util.Objects.equals(directory, other.directory)
          && java.util.Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
      int h = java.util.Objects.hashCode(directory);
      return 31 * h + java.util.Objects.hashCode(reason);
    }

    @Override
    public String toString() {
      return "NotStored[directory=" + directory + ", reason=" + reason + "]";
    }
  }

  /**
   * The cache was not used at all, since someone other than the user could have written its
   * directory, an entry or its key: the module was compiled and runs from memory.
   *
   * @param directory the cache's directory
   * @param reason which path and why
   */
  record Refused(Path directory, IOException reason) implements CacheUse {
    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof Refused other && java.util.Objects.equals(directory, other.directory)
          && java.util.Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
      int h = java.util.Objects.hashCode(directory);
      return 31 * h + java.util.Objects.hashCode(reason);
    }

    @Override
    public String toString() {
      return "Refused[directory=" + directory + ", reason=" + reason + "]";
    }
  }
}
