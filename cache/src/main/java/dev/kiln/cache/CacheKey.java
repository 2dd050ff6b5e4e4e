package dev.kiln.cache;

import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.seal.SigningKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The name of a cache entry: SHA-256 over the compiler's identity, the compat header the artifact
 * must carry and the wasm bytes. The header is what the code depends on besides the module and the
 * compiler (docs/cwasm-format.md): the format version, Kiln's version, the target and every
 * code-changing setting (CPU features, {@code table_lazy_init}, epoch interruption, fuel). The
 * identity names the compiler build, which a version string alone does not while the version is
 * "dev": code from an older build of the compiler must not be found by a newer one. So two
 * compilations share an entry only if they would write the same artifact. Each part but the last
 * goes in with its length, so no choice of module bytes makes one triple hash as another.
 *
 * @param hex the digest in lower-case hex, 64 characters
 */
public record CacheKey(String hex) {
  /** Changes if the way a key is made changes, so old entries are never found under new keys. */
  private static final byte[] DOMAIN = "kiln compiled-module cache, key 1\0".getBytes(StandardCharsets.US_ASCII);
  /** Keeps tag keys apart from any other key derived from the same secret. */
  private static final byte[] TAG_DOMAIN = "kiln compiled-module cache, entry tag 1\0".getBytes(StandardCharsets.US_ASCII);

  /**
   * The key of {@code wasm} compiled by the compiler {@code compilerIdentity} into an artifact whose
   * compat header is {@code header}.
   */
  public static CacheKey of(String compilerIdentity, CompatHeader header, byte[] wasm) {
    Sha256 sha = new Sha256();
    sha.update(DOMAIN);
    withLength(sha, compilerIdentity.getBytes(StandardCharsets.UTF_8));
    withLength(sha, header.encode());
    sha.update(wasm);
    return new CacheKey(HexFormat.of().formatHex(sha.digest()));
  }

  /**
   * The key whose HMAC-SHA256 tag an entry of this name carries: derived from the user's {@code
   * secret} ({@link CacheSecret}) and this name ({@link SigningKey#derive}). The name is the digest
   * of the module's bytes, the compiler build and the compat header, so a tag binds the entry to all
   * three: a valid entry of another module, or of this module with other settings, copied under this
   * name does not verify, and nobody without the secret can make one that does.
   */
  SigningKey tagKey(SigningKey secret) {
    byte[] name = hex.getBytes(StandardCharsets.US_ASCII);
    byte[] context = new byte[TAG_DOMAIN.length + name.length];
    System.arraycopy(TAG_DOMAIN, 0, context, 0, TAG_DOMAIN.length);
    System.arraycopy(name, 0, context, TAG_DOMAIN.length, name.length);
    return secret.derive(context);
  }

  private static void withLength(Sha256 sha, byte[] part) {
    sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
    sha.update(part);
  }
}
