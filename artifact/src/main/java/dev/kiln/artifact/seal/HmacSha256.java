package dev.kiln.artifact.seal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104 section 2, FIPS 198-1) over the JDK's SHA-256 {@link MessageDigest}: {@code
 * H((K' ^ opad) || H((K' ^ ipad) || message))}, where {@code K'} is the key zero-padded to SHA-256's
 * 64-byte block, or first hashed if longer. One instance makes one tag.
 *
 * <p>Not {@code javax.crypto.Mac}: finding {@code HmacSHA256} walks the provider list until SunJCE,
 * loading and instantiating every provider before it (SunEC builds its curve tables) and setting up
 * the crypto policy (its files parsed, the providers on the class path looked up), about 36 ms of
 * CPU in a fresh JVM against 15 for a SHA-256 digest, which the first provider serves. Every {@code
 * kiln run} of a {@code .wasm} that hits the compiled-module cache derives an entry key and checks
 * the entry's tag, so it paid that on every run. The digest is still the JDK's, with its intrinsics.
 * {@code HmacSha256Test} checks it against {@code Mac} and RFC 4231's vectors.
 */
final class HmacSha256 {
  /** SHA-256's block size in bytes (FIPS 180-4 section 1). */
  private static final int BLOCK = 64;
  private static final byte IPAD = 0x36;
  private static final byte OPAD = 0x5c;

  private final MessageDigest inner = sha256();
  /** {@code K' ^ opad}, for the outer hash. */
  private final byte[] outerPad = new byte[BLOCK];

  HmacSha256(byte[] key) {
    byte[] padded = Arrays.copyOf(key.length > BLOCK ? sha256().digest(key) : key, BLOCK);
    byte[] innerPad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      innerPad[i] = (byte) (padded[i] ^ IPAD);
      outerPad[i] = (byte) (padded[i] ^ OPAD);
    }
    inner.update(innerPad);
    Arrays.fill(padded, (byte) 0);
    Arrays.fill(innerPad, (byte) 0);
  }

  void update(byte[] bytes, int offset, int length) {
    inner.update(bytes, offset, length);
  }

  void update(ByteBuffer bytes) {
    inner.update(bytes);
  }

  /** The 32-byte tag of everything updated; the instance is then spent. */
  byte[] doFinal() {
    MessageDigest outer = sha256();
    outer.update(outerPad);
    Arrays.fill(outerPad, (byte) 0);
    outer.update(inner.digest());
    return outer.digest();
  }

  /** The tag of {@code message} (after anything updated before). */
  byte[] doFinal(byte[] message) {
    update(message, 0, message.length);
    return doFinal();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE platform must provide SHA-256 (the MessageDigest class comment).
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }
}
