/**
 * The seal every {@code .cwasm} ends with ({@link dev.kiln.artifact.seal.ArtifactSeal}): a CRC32C of
 * all the bytes before it, so that accidental damage is refused before any offset in the file is
 * trusted or any code published, and optionally an HMAC-SHA256 tag made with a {@link
 * dev.kiln.artifact.seal.SigningKey}, so that an artifact changed by someone without the key is
 * refused. It lives in {@code artifact} because the writer makes it and every reader (loader,
 * {@code kiln inspect}, {@code kiln objdump}) checks it; what it covers and what it does not is in
 * docs/cwasm-format.md.
 */
package dev.kiln.artifact.seal;
