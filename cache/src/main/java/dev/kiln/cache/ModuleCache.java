package dev.kiln.cache;

import dev.kiln.artifact.ArtifactException;
import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.ArtifactFileWriter;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compiled modules on disk, as Wasmtime's cache keeps them: one {@code .cwasm} per {@link CacheKey}
 * in one directory, so a module compiled once is only loaded on every later run.
 *
 * <p><b>The cache is a trust boundary</b>: what is in it becomes code the user runs, so an entry is
 * used only if nobody but the user could have made it. Two defences, each enough against a writer
 * who is not the user (docs/SECURITY.md):
 *
 * <ul>
 *   <li>The directory must be the user's alone ({@link PrivatePath}: made {@code rwx------}; every
 *       directory and symbolic link on the way to it the user's or root's, none writable by others
 *       without the sticky bit; the directory and each entry the user's and writable by nobody
 *       else). Otherwise the lookup reads and stores nothing and says why ({@link
 *       CachedArtifact.Refused}).
 *   <li>Every entry carries an HMAC-SHA256 tag (the {@code .cwasm} seal's, {@code kiln compile
 *       --sign-key}'s) under a key derived from the user's secret ({@link CacheSecret}, kept {@code
 *       rw-------} outside the cache) and the entry's name, which is the digest of the module's
 *       bytes, the compiler build and the compat header ({@link CacheKey#tagKey}). A stored hash of
 *       the module would not do: whoever can write the entry can write the hash. The tag cannot be
 *       made without the secret, and one made for another module or other settings does not verify.
 * </ul>
 *
 * <p>Beyond that, nothing in an entry is trusted: a lookup opens it with the caller's {@link
 * Opener}, the way the caller will use it and with every check that use makes (for the loader: the
 * file read into private pages, then there the seal's CRC32C and this tag over every byte, the ELF
 * and section structure, the compat header against the expected one), so the check that makes a hit
 * is the one that guards the code, done once, on the bytes that will run; an entry that fails it is
 * compiled again and replaced. Entries are written by {@link ArtifactFileWriter} (a temporary file
 * of mode {@code rw-------} renamed over the name), so processes compiling the same module at once
 * each see a whole file, whichever rename came last.
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
  /** The characters of an entry's name before {@link #ENTRY_SUFFIX}: a {@link CacheKey}'s hex digest. */
  private static final int KEY_HEX_CHARS = 64;

  /** An entry's mode: only the user writes it (an entry others could write is refused). */
  private static final Set<PosixFilePermission> ENTRY_MODE = PosixFilePermissions.fromString("rw-------");

  private final Path directory;
  private final Path keyFile;
  private final long maxBytes;
  private final String compilerIdentity;

  private ModuleCache(Path directory, Path keyFile, long maxBytes, String compilerIdentity) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
    this.compilerIdentity = Objects.requireNonNull(compilerIdentity, "compilerIdentity");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be at least 0, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * The cache in {@code directory} (made {@code rwx------} at the first store), its entries tagged
   * under the user's key in {@code keyFile} (made when first needed; {@link #defaultKeyFile}), bounded to {@code
   * maxBytes}, for artifacts made by the compiler {@code compilerIdentity} (Kiln's version and which
   * build of it: {@link CompilerIdentity#of}).
   */
  public static ModuleCache at(Path directory, Path keyFile, long maxBytes, String compilerIdentity) {
    return new ModuleCache(directory, keyFile, maxBytes, compilerIdentity);
  }

  /**
   * Where the user's cache key lives by default: {@code $XDG_CONFIG_HOME/kiln/cache.key}, or {@code
   * $HOME/.config/kiln/cache.key} ({@link CacheSecret} says why there).
   *
   * @param environment the process environment ({@code System.getenv()})
   */
  public static Path defaultKeyFile(Map<String, String> environment) {
    return CacheSecret.defaultFile(environment);
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
   * Opens a cache entry for use, with every check the use needs, on the bytes that will be used
   * (the loader's copy in private pages). It throws an {@link ArtifactException} for an entry that
   * is damaged, is not an artifact, lacks the tag or carries another compat header than {@code
   * expected}, and an {@link IOException} for one it cannot read; either makes the entry a miss.
   * Whatever it returns on success is the caller's to close.
   */
  @FunctionalInterface
  public interface Opener<T> {
    /**
     * Opens {@code entry}, which must carry the compat header {@code expected} and an HMAC-SHA256
     * tag made with {@code tagKey} (an entry without one, or with another's, is refused).
     */
    T open(Path entry, CompatHeader expected, SigningKey tagKey) throws IOException;
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
   * stored entry if it opens, else {@code compile}'s result, tagged, stored and then opened. {@code
   * compile} runs only on a miss, and its exceptions (an invalid module) pass through; it must
   * return an artifact with the header {@code expected}, which the key was made from. A cache that
   * cannot be used never fails the lookup: the compiled bytes come back unopened, as {@link
   * CachedArtifact.Refused} if the directory, the entry or the key is not the user's alone, as
   * {@link CachedArtifact.NotStored} if the cache cannot be written (read-only, a full disk).
   *
   * @throws ArtifactException if the artifact {@code compile} returned and this cache stored fails
   *     to open: a compiler or disk fault, not a damaged entry
   */
  public <T> CachedArtifact<T> lookup(byte[] wasm, CompatHeader expected, Supplier<byte[]> compile, Opener<T> open) {
    CacheKey name = CacheKey.of(compilerIdentity, expected, wasm);
    Path entry = directory.resolve(name.hex() + ENTRY_SUFFIX);
    boolean present;
    try {
      present = PrivatePath.requireDirectory(directory, false)
          && PrivatePath.requireFileIfPresent(entry, PrivatePath.Sharing.READ);
      if (present) {
        T opened = openOrNull(entry, expected, name.tagKey(CacheSecret.readOrCreate(keyFile)), open);
        if (opened != null) {
          markUsed(entry);
          return new CachedArtifact.Hit<>(entry, opened);
        }
      }
    } catch (UntrustedPathException e) {
      return new CachedArtifact.Refused<>(compile.get(), e);
    } catch (IOException e) {
      return new CachedArtifact.NotStored<>(compile.get(), e);
    }
    // Compiled before the directory or key is made: an invalid module leaves nothing behind.
    byte[] artifact = compile.get();
    try {
      // The compile budget bound to the thread, if any, covers storing too (red team 29 F4: signing,
      // writing and evicting a 300 MB entry ran 10 s past it and kept the entry): polled before the
      // seal and by every slice of the write, which deletes its temporary file when stopped, so a
      // store past the budget leaves no entry.
      CompileDeadline.poll(Phase.ASSEMBLY);
      // The key first: a cache it refuses leaves nothing behind, not even its directory.
      SigningKey tagKey = name.tagKey(CacheSecret.readOrCreate(keyFile));
      PrivatePath.requireDirectory(directory, true);
      ArtifactSeal.sign(artifact, tagKey);
      ArtifactFileWriter.write(entry, artifact, ENTRY_MODE);
      evictBeyondBound(entry);
      return new CachedArtifact.Compiled<>(entry, present, open.open(entry, expected, tagKey));
    } catch (UntrustedPathException e) {
      return new CachedArtifact.Refused<>(artifact, e);
    } catch (IOException e) {
      return new CachedArtifact.NotStored<>(artifact, e);
    }
  }

  /**
   * The entry opened, or null if it does not open: damaged, planted (no tag, or another's), foreign,
   * or evicted or cleaned by another process since it was checked. A miss, and storing over it says
   * whether the cache can be used at all.
   */
  private static <T> T openOrNull(Path entry, CompatHeader expected, SigningKey tagKey, Opener<T> open) {
    try {
      return open.open(entry, expected, tagKey);
    } catch (ArtifactException | IOException e) {
      return null;
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

  /**
   * The entries stored now.
   *
   * @throws UntrustedPathException if the directory is not the user's alone (as a lookup refuses it)
   */
  public CacheStats stats() throws IOException {
    List<Entry> entries = PrivatePath.requireDirectory(directory, false) ? entries() : new ArrayList<>();
    return new CacheStats(directory, entries.size(), entries.stream().mapToLong(Entry::size).sum(), maxBytes);
  }

  /**
   * Deletes every entry and every temporary file a writer left behind (a process killed between
   * creating and renaming one); returns how many files were deleted.
   *
   * @throws UntrustedPathException if the directory is not the user's alone: it is left as it is
   */
  public int clean() throws IOException {
    if (!PrivatePath.requireDirectory(directory, false)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if ((isEntryName(name) || isTemporaryName(name)) && isRegularFile(file) && Files.deleteIfExists(file)) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  /**
   * Whether {@code name} is an entry's: a key's 64 lower-case hex digits, then {@code .cwasm}. Only
   * the cache's own files are counted, evicted and cleaned: a folder a user names as the cache
   * ({@code --cache-dir}) may hold artifacts of their own, which a size bound or {@code kiln cache
   * clean} must not delete (red team 104).
   */
  static boolean isEntryName(String name) {
    if (name.length() != KEY_HEX_CHARS + ENTRY_SUFFIX.length() || !name.endsWith(ENTRY_SUFFIX)) {
      return false;
    }
    for (int i = 0; i < KEY_HEX_CHARS; i++) {
      char c = name.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code name} is a temporary file a writer of this cache left behind (a process killed
   * between creating and renaming it): {@code .ENTRY.RANDOM.tmp} for an entry, {@code
   * .cache.key.RANDOM.tmp} for the secret ({@link CacheSecret}).
   */
  static boolean isTemporaryName(String name) {
    if (!name.startsWith(".") || !name.endsWith(TEMPORARY_SUFFIX)) {
      return false;
    }
    int entryEnd = KEY_HEX_CHARS + ENTRY_SUFFIX.length() + 1;
    if (name.length() > entryEnd && name.charAt(entryEnd) == '.' && isEntryName(name.substring(1, entryEnd))) {
      return isRandomPart(name.substring(entryEnd + 1, name.length() - TEMPORARY_SUFFIX.length()), 16);
    }
    String secret = "." + CacheSecret.FILE_NAME + ".";
    return name.startsWith(secret)
        && isRandomPart(name.substring(secret.length(), name.length() - TEMPORARY_SUFFIX.length()), 10);
  }

  /**
   * Whether {@code part} is a temporary name's random part: {@code ArtifactFileWriter}'s, a long in
   * hex, or {@code Files.createTempFile}'s, a long in decimal ({@code radix} 16 or 10).
   */
  private static boolean isRandomPart(String part, int radix) {
    if (part.isEmpty() || part.length() > 20) {
      return false;
    }
    for (int i = 0; i < part.length(); i++) {
      if (Character.digit(part.charAt(i), radix) < 0 || Character.isUpperCase(part.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code file} itself, not a link's target, is a regular file: a folder or a link under an
   * entry's name is the user's, never counted, evicted or cleaned.
   */
  private static boolean isRegularFile(Path file) {
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
  }

  private record Entry(Path path, long size, FileTime lastUsed) {}

  private List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory,
        file -> isEntryName(file.getFileName().toString()) && isRegularFile(file))) {
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
