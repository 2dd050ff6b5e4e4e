package dev.kiln.cache;

import dev.kiln.artifact.seal.SigningKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;

/**
 * The user's secret key for the compiled-module cache: 32 random bytes in a file of mode {@code
 * rw-------} in a directory of the user's alone ({@link PrivatePath}), outside the cache directory.
 * Every entry carries an HMAC-SHA256 tag under a key derived from it ({@link CacheKey#tagKey}), so an
 * entry is unforgeable by anyone who cannot read this file, whoever can write the cache.
 *
 * <p>Where: {@code $XDG_CONFIG_HOME/kiln/cache.key}, else {@code ~/.config/kiln/cache.key}. Not in
 * the cache, whose directory may be shared, named by {@code --cache-dir} or emptied by {@code kiln
 * cache clean} (the key must outlive its entries, or every entry would be compiled again); and not
 * in {@code $XDG_STATE_HOME}, which the specification keeps for history and recently used files. A
 * lost key costs one compile of each module, nothing else: entries under the old one are refused
 * and replaced.
 */
final class CacheSecret {
  static final String FILE_NAME = "cache.key";
  private static final int BYTES = SigningKey.MIN_BYTES;

  private CacheSecret() {}

  /**
   * The default key file for the process environment {@code environment} (XDG Base Directory
   * Specification: a relative or empty {@code XDG_CONFIG_HOME} is ignored).
   */
  static Path defaultFile(Map<String, String> environment) {
    String xdg = environment.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "kiln", FILE_NAME);
    }
    String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".config", "kiln", FILE_NAME);
  }

  /**
   * The key in {@code file}, made there first if there is none.
   *
   * @throws UntrustedPathException if the file or its directory is not the user's alone, or the file
   *     holds fewer than 32 bytes
   */
  static SigningKey readOrCreate(Path file) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    PrivatePath.requireDirectory(directory, true);
    while (!PrivatePath.requireFileIfPresent(file, PrivatePath.Sharing.NONE)) {
      create(file, directory);
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return SigningKey.of(bytes);
    } catch (IllegalArgumentException e) {
      throw new UntrustedPathException(file, "holds " + bytes.length + " bytes, not a key of at least " + BYTES
          + " (delete it, and Kiln makes another)");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * Writes a new key to a temporary file of mode {@code rw-------} and links it to {@code file}:
   * link(2) fails with EEXIST rather than replace a key another process made meanwhile, so two
   * processes never use two keys, and no reader sees a half-written one.
   */
  private static void create(Path file, Path directory) throws IOException {
    byte[] key = new byte[BYTES];
    new SecureRandom().nextBytes(key);
    Path temporary = Files.createTempFile(directory, "." + FILE_NAME + ".", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(false);
      }
      Files.createLink(file, temporary);
    } catch (FileAlreadyExistsException e) {
      // Another process made the key first: that one is read.
    } finally {
      Arrays.fill(key, (byte) 0);
      Files.deleteIfExists(temporary);
    }
  }
}
