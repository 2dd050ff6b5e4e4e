package dev.kiln.artifact.seal;

import dev.kiln.artifact.elf.BoundedFileReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A secret key for HMAC-SHA256 artifact tags ({@code kiln compile --sign-key FILE}, {@code kiln run
 * --verify-key FILE}). The key is the file's bytes as they are, of any length from {@link
 * #MIN_BYTES}: RFC 2104 section 3 calls keys shorter than the hash output (32 bytes for SHA-256)
 * strongly discouraged, since they weaken the MAC, so they are refused rather than accepted
 * silently. {@code head -c 32 /dev/urandom > kiln.key} makes one. The bytes are never printed.
 */
public final class SigningKey {
  /** The least key length: SHA-256's output size (RFC 2104 section 3). */
  public static final int MIN_BYTES = 32;

  private final byte[] key;

  private SigningKey(byte[] key) {
    this.key = key;
  }

  /**
   * The most a key file may hold: HMAC hashes a key longer than SHA-256's 64-byte block first (RFC
   * 2104 section 2), so a longer key adds nothing, and the bound keeps a key path that names a huge
   * file from filling the heap.
   */
  public static final int MAX_FILE_BYTES = 64 * 1024;

  /**
   * A key of these bytes (copied).
   *
   * @throws IllegalArgumentException if there are fewer than {@link #MIN_BYTES}
   */
  public static SigningKey of(byte[] key) {
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException("a signing key needs at least " + MIN_BYTES + " bytes, this one has "
          + key.length + " (make one with: head -c 32 /dev/urandom > kiln.key)");
    }
    return new SigningKey(key.clone());
  }

  /**
   * The key in {@code file}: all of its bytes.
   *
   * @throws IllegalArgumentException if the file holds fewer than {@link #MIN_BYTES}
   * @throws java.nio.file.FileSystemException if it is not a regular file or holds more than
   *     {@link #MAX_FILE_BYTES}
   */
  public static SigningKey read(Path file) throws IOException {
    byte[] bytes = BoundedFileReader.read(file, MAX_FILE_BYTES, "a signing key");
    try {
      return of(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * A key for one purpose, derived from this one: HMAC-SHA256(this key, {@code context}), 32 bytes,
   * as HKDF's expand step makes its first block (RFC 5869 section 2.3, with the info as context).
   * Whoever holds only derived keys learns nothing of this key or of keys for other contexts, and a
   * tag made with one context's key does not verify under another's. The compiled-module cache uses
   * it to give each entry a key of its own, bound to the module and settings the entry was made from.
   */
  public SigningKey derive(byte[] context) {
    byte[] derived = newMac().doFinal(context);
    try {
      return of(derived);
    } finally {
      Arrays.fill(derived, (byte) 0);
    }
  }

  /** A fresh HMAC-SHA256 keyed with this key. */
  HmacSha256 newMac() {
    return new HmacSha256(key);
  }

  @Override
  public String toString() {
    return "SigningKey[" + key.length + " bytes]";
  }
}
