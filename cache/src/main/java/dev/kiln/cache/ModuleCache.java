package dev.kiln.cache;

import dev.kiln.artifact.ArtifactException;
import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.ArtifactFileWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Compiled modules on disk, as Wasmtime's cache keeps them: one {@code .cwasm} per {@link CacheKey}
 * in one directory, so a module compiled once is only mapped on every later run.
 *
 * <p>Nothing in the directory is trusted: a lookup opens the entry with the caller's {@link Opener},
 * the way the caller will use it and with every check that use makes (for the loader: the artifact
 * copied into private pages, the CRC32C seal over every byte, the ELF and section structure, the
 * compat header against the expected one), so the check that makes a hit is the one that guards the
 * code, done once; an entry that fails it is compiled again and replaced. Entries are written
 * by {@link ArtifactFileWriter} (a temporary file renamed over the name), so processes compiling
 * the same module at once each see a whole file, whichever rename came last; a process that has
 * mapped an entry keeps it when another replaces or evicts it (the inode lives until unmapped).
 *
 * <p>The size is bounded: after each store the least recently used entries (a hit sets the file's
 * modification time) are deleted until the total is at most {@code maxBytes}; the entry just stored
 * is kept, so one module larger than the bound still runs from the cache.
 */
public final class ModuleCache {
  /** The default bound, Wasmtime's {@code files-total-size-soft-limit} default. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  private static final String ENTRY_SUFFIX = ".cwasm";
  /** {@link ArtifactFileWriter}'s temporary files: {@code .NAME.RANDOM.tmp}. */
  private static final String TEMPORARY_SUFFIX = ".tmp";

  private final Path directory;
  private final long maxBytes;
  private final String compilerIdentity;

  private ModuleCache(Path directory, long maxBytes, String compilerIdentity) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.compilerIdentity = Objects.requireNonNull(compilerIdentity, "compilerIdentity");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be at least 0, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * The cache in {@code directory} (created on the first store), bounded to {@code maxBytes}, for
   * artifacts made by the compiler {@code compilerIdentity} (Kiln's version and which build of it:
   * {@link CompilerIdentity#of}).
   */
  public static ModuleCache at(Path directory, long maxBytes, String compilerIdentity) {
    return new ModuleCache(directory, maxBytes, compilerIdentity);
  }

  /**
   * Where the cache lives by default (XDG Base Directory Specification, "user-specific non-essential
   * (cached) data"): {@code $XDG_CACHE_HOME/kiln}, or {@code $HOME/.cache/kiln} when it is unset,
   * empty or relative (the specification says a relative path is invalid and is to be ignored).
   *
   * @param environment the process environment ({@code System.getenv()})
   */
  public static Path defaultDirectory(Map<String, String> environment) {
    String xdg = environment.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "kiln");
    }
    String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".cache", "kiln");
  }

  public Path directory() {
    return directory;
  }

  /**
   * Opens a cache entry for use, with every check the use needs. It throws an {@link
   * ArtifactException} for an entry that is damaged, is not an artifact or carries another compat
   * header than {@code expected}, and an {@link IOException} for one it cannot read; either makes the
   * entry a miss. Whatever it returns on success is the caller's to close.
   */
  @FunctionalInterface
  public interface Opener<T> {
    T open(Path entry, CompatHeader expected) throws IOException;
  }

  /**
   * For an {@link Opener}: throws unless {@code actual}, the header of the artifact in {@code entry},
   * is {@code expected}.
   *
   * @throws IncompatibleArtifactException if it is not
   */
  public static void requireHeader(Path entry, CompatHeader actual, CompatHeader expected) {
    if (!actual.equals(expected)) {
      throw new IncompatibleArtifactException(entry + " holds an artifact with compat header " + actual
          + ", not " + expected);
    }
  }

  /**
   * The entry of {@code wasm} with compat header {@code expected}, opened with {@code open}: the
   * stored entry if it opens, else {@code compile}'s result, stored and then opened. {@code compile}
   * runs only on a miss, and its exceptions (an invalid module) pass through; it must return an
   * artifact with the header {@code expected}, which the key was made from. A cache that cannot be
   * used (unreadable, read-only, a full disk) never fails the lookup: the compiled bytes come back as
   * {@link CachedArtifact.NotStored}, unopened.
   *
   * @throws ArtifactException if the artifact {@code compile} returned and this cache stored fails
   *     to open: a compiler or disk fault, not a damaged entry
   */
  public <T> CachedArtifact<T> lookup(byte[] wasm, CompatHeader expected, Supplier<byte[]> compile, Opener<T> open) {
    Path entry = directory.resolve(CacheKey.of(compilerIdentity, expected, wasm).hex() + ENTRY_SUFFIX);
    boolean present = Files.exists(entry);
    if (present) {
      try {
        T opened = open.open(entry, expected);
        markUsed(entry);
        return new CachedArtifact.Hit<>(entry, opened);
      } catch (ArtifactException | IOException e) {
        // Damaged, foreign, or evicted or cleaned by another process since the exists check: a miss,
        // and storing over it says whether the cache can be used at all.
      }
    }
    byte[] artifact = compile.get();
    try {
      requireDirectoryIfPresent();
      Files.createDirectories(directory);
      ArtifactFileWriter.write(entry, artifact);
      evictBeyondBound(entry);
      return new CachedArtifact.Compiled<>(entry, present, open.open(entry, expected));
    } catch (IOException e) {
      return new CachedArtifact.NotStored<>(artifact, e);
    }
  }

  /** A hit makes the entry the most recently used. */
  private static void markUsed(Path entry) {
    try {
      Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // A read-only cache or an entry evicted meanwhile: the hit stands, the entry just ages.
    }
  }

  /** Deletes the least recently used entries other than {@code keep} until the total fits the bound. */
  private void evictBeyondBound(Path keep) throws IOException {
    List<Entry> entries = entries();
    long total = entries.stream().mapToLong(Entry::size).sum();
    entries.sort(Comparator.comparing(Entry::lastUsed));
    for (Entry e : entries) {
      if (total <= maxBytes) {
        break;
      }
      if (!e.path().equals(keep)) {
        Files.deleteIfExists(e.path());
        total -= e.size();
      }
    }
  }

  /** The entries stored now. */
  public CacheStats stats() throws IOException {
    requireDirectoryIfPresent();
    List<Entry> entries = entries();
    return new CacheStats(directory, entries.size(), entries.stream().mapToLong(Entry::size).sum(), maxBytes);
  }

  /**
   * Deletes every entry and every temporary file a writer left behind (a process killed between
   * creating and renaming one); returns how many files were deleted.
   */
  public int clean() throws IOException {
    requireDirectoryIfPresent();
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        boolean ours = name.endsWith(ENTRY_SUFFIX) || (name.startsWith(".") && name.endsWith(TEMPORARY_SUFFIX));
        if (ours && Files.deleteIfExists(file)) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  private record Entry(Path path, long size, FileTime lastUsed) {}

  /**
   * A cache directory not made yet holds nothing; a file in its place is a mistake to report, not
   * an empty cache (a run only skips the cache then: it compiles in memory).
   */
  private void requireDirectoryIfPresent() throws NotDirectoryException {
    // The nearest part of the path that exists: a file there, even above the directory, means the
    // directory can never be made.
    for (Path p = directory.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new NotDirectoryException(p.toString());
        }
        return;
      }
    }
  }

  private List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return entries;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + ENTRY_SUFFIX)) {
      for (Path file : files) {
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          entries.add(new Entry(file, attributes.size(), attributes.lastModifiedTime()));
        } catch (NoSuchFileException e) {
          // Deleted by another process while listing.
        }
      }
    }
    return entries;
  }
}
