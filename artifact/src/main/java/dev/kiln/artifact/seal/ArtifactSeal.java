package dev.kiln.artifact.seal;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The {@code .kiln.seal} trailer: the last {@link #SIZE} bytes of every {@code .cwasm}, holding a
 * CRC32C of every byte before the digest field and, for a signed artifact, an HMAC-SHA256 tag of the
 * same bytes. The loader finds it from the file size alone and checks it before it reads any other
 * field it does not need to recognise the file, so no header, offset or size is trusted before the
 * bytes that hold it have been verified.
 *
 * <pre>
 *   +0   u32  magic "KSEL"
 *   +4   u8   digest algorithm    1 = CRC32C (Castagnoli, RFC 3720 section 12.1 / appendix B.4)
 *   +5   u8   tag algorithm       0 = none, 1 = HMAC-SHA256 (RFC 2104, FIPS 180-4)
 *   +6   u16  0
 *   +8   u32  0
 *   +12  u32  digest              CRC32C of file bytes [0, end - 36)
 *   +16  32 B tag                 HMAC-SHA256(key, file bytes [0, end - 36)); all zero when unsigned
 * </pre>
 *
 * <p>Why two codes: the CRC's job is accidental damage (a bad disk, a torn copy, a truncated
 * download). It is computed in hardware (HotSpot's CRC32C intrinsic) at several GB/s, so sealing
 * costs a 50 MB artifact milliseconds at load (docs/PERFORMANCE.md, "Load times"), and a random
 * change escapes it with probability 2^-32, while every burst of up to 32 bits is caught. It does
 * nothing against someone who edits the file on purpose, who simply recomputes it: that is the
 * tag's job, which only a holder of the key can make. The tag is optional because a key has to be
 * managed.
 */
public final class ArtifactSeal {
  /** The trailer's section name. */
  public static final String SECTION = ".kiln.seal";
  /** The trailer's size: always the last this many bytes of the file. */
  public static final int SIZE = 48;

  private static final int MAGIC = 'K' | 'S' << 8 | 'E' << 16 | 'L' << 24;
  private static final int DIGEST_CRC32C = 1;
  private static final int TAG_NONE = 0;
  private static final int TAG_HMAC_SHA256 = 1;
  private static final int DIGEST_ALGORITHM_AT = 4;
  private static final int TAG_ALGORITHM_AT = 5;
  private static final int RESERVED16_AT = 6;
  private static final int RESERVED32_AT = 8;
  private static final int DIGEST_AT = 12;
  private static final int TAG_AT = 16;
  private static final int TAG_BYTES = 32;
  /** ByteBuffers address at most 2 GiB; larger files are digested in pieces. */
  private static final long CHUNK = 1L << 30;

  /** What a verified seal says. */
  public record Seal(int crc32c, boolean signed) {
    @Override
    public String toString() {
      return "CRC32C 0x" + String.format("%08x", crc32c) + (signed ? ", HMAC-SHA256 tag" : ", unsigned");
    }
  }

  private ArtifactSeal() {}

  /**
   * Writes an unsigned seal over the last {@link #SIZE} bytes of {@code artifact}, which the writer
   * reserved for it: the CRC32C of everything before the digest field.
   */
  public static void seal(byte[] artifact) {
    write(artifact, TAG_NONE, null);
  }

  /**
   * Replaces the seal of {@code artifact} with one carrying an HMAC-SHA256 tag made with {@code
   * key}, after checking the existing seal, so that damaged bytes are never signed.
   *
   * @throws CorruptArtifactException if the artifact's seal does not verify
   */
  public static void sign(byte[] artifact, SigningKey key) {
    verify(MemorySegment.ofArray(artifact), Optional.empty());
    write(artifact, TAG_HMAC_SHA256, key);
  }

  private static void write(byte[] artifact, int tagAlgorithm, SigningKey key) {
    if (artifact.length < SIZE) {
      throw new IllegalArgumentException("an artifact of " + artifact.length + " bytes has no room for its seal");
    }
    int at = artifact.length - SIZE;
    ByteBuffer seal = ByteBuffer.wrap(artifact, at, SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
    putCoveredFields(seal, tagAlgorithm);
    MemorySegment covered = MemorySegment.ofArray(artifact).asSlice(0, at + DIGEST_AT);
    seal.putInt(DIGEST_AT, crc32c(covered));
    byte[] tag = key == null ? new byte[TAG_BYTES] : hmac(covered, key);
    seal.put(TAG_AT, tag);
  }

  /** The seal's fields before its digest, which the digest and the tag cover too. */
  private static void putCoveredFields(ByteBuffer seal, int tagAlgorithm) {
    seal.putInt(0, MAGIC);
    seal.put(DIGEST_ALGORITHM_AT, (byte) DIGEST_CRC32C);
    seal.put(TAG_ALGORITHM_AT, (byte) tagAlgorithm);
    seal.putShort(RESERVED16_AT, (short) 0);
    seal.putInt(RESERVED32_AT, 0);
  }

  /**
   * A seal made as the file is written, for a writer that streams the file instead of holding it
   * whole: given every byte before the seal ({@link Sealer#update}), its trailer is the one {@link
   * #seal} (without a key) or {@link #sign} (with one) would write over the same bytes.
   */
  public static Sealer sealer(Optional<SigningKey> key) {
    return new Sealer(key.map(SigningKey::newMac).orElse(null));
  }

  /** The running digest (and tag) of a file's bytes before its seal; one file, used once. */
  public static final class Sealer {
    private final CRC32C crc = new CRC32C();
    private final HmacSha256 mac;

    private Sealer(HmacSha256 mac) {
      this.mac = mac;
    }

    /** Digests the file's next {@code length} bytes, {@code bytes[offset, offset + length)}. */
    public void update(byte[] bytes, int offset, int length) {
      crc.update(bytes, offset, length);
      if (mac != null) {
        mac.update(bytes, offset, length);
      }
    }

    /** The last {@link #SIZE} bytes of the file whose earlier bytes were all given to {@link #update}. */
    public byte[] trailer() {
      byte[] trailer = new byte[SIZE];
      ByteBuffer seal = ByteBuffer.wrap(trailer).order(ByteOrder.LITTLE_ENDIAN);
      putCoveredFields(seal, mac == null ? TAG_NONE : TAG_HMAC_SHA256);
      update(trailer, 0, DIGEST_AT);
      seal.putInt(DIGEST_AT, (int) crc.getValue());
      if (mac != null) {
        seal.put(TAG_AT, mac.doFinal());
      }
      return trailer;
    }
  }

  /** Whether {@code file} ends with a seal's magic: a cheap test, not a verification. */
  public static boolean isPresent(MemorySegment file) {
    return file.byteSize() >= SIZE && file.get(SectionReader.U32, file.byteSize() - SIZE) == MAGIC;
  }

  /**
   * Verifies the seal at the end of {@code file}: the digest always; with a {@code key}, also that
   * the artifact is signed and that its tag is this key's (compared in constant time, {@link
   * MessageDigest#isEqual}). A signed artifact verified without a key is accepted on its digest.
   *
   * @throws CorruptArtifactException naming the seal's field and file offset if anything fails
   */
  public static Seal verify(MemorySegment file, Optional<SigningKey> key) {
    if (!isPresent(file)) {
      throw new CorruptArtifactException(SECTION, "the file does not end with a seal: it is truncated, or was"
          + " written by a Kiln older than artifact format 2 (recompile it)");
    }
    long at = file.byteSize() - SIZE;
    SectionReader in = new SectionReader(file.asSlice(at, SIZE), SECTION);
    try {
      return check(file, at, in, key);
    } catch (CorruptArtifactException e) {
      throw e.inSectionAt(at);
    }
  }

  private static Seal check(MemorySegment file, long at, SectionReader in, Optional<SigningKey> key) {
    int digestAlgorithm = in.u8(DIGEST_ALGORITHM_AT, "digest algorithm");
    if (digestAlgorithm != DIGEST_CRC32C) {
      throw in.corrupt(DIGEST_ALGORITHM_AT, "unknown digest algorithm " + digestAlgorithm + " (1 = CRC32C)");
    }
    int tagAlgorithm = in.u8(TAG_ALGORITHM_AT, "tag algorithm");
    if (tagAlgorithm != TAG_NONE && tagAlgorithm != TAG_HMAC_SHA256) {
      throw in.corrupt(TAG_ALGORITHM_AT, "unknown tag algorithm " + tagAlgorithm + " (0 = none, 1 = HMAC-SHA256)");
    }
    if (in.u16(RESERVED16_AT, "reserved") != 0 || in.u32(RESERVED32_AT, "reserved") != 0) {
      throw in.corrupt(RESERVED16_AT, "reserved bytes are not zero");
    }
    MemorySegment covered = file.asSlice(0, at + DIGEST_AT);
    int stored = in.u32(DIGEST_AT, "digest");
    int actual = crc32c(covered);
    if (stored != actual) {
      throw in.corrupt(DIGEST_AT, "the CRC32C of bytes [0, 0x" + Long.toHexString(covered.byteSize()) + ") is "
          + hex(actual) + " but the seal records " + hex(stored) + ": the file was damaged after it was written");
    }
    byte[] tag = in.slice(TAG_AT, TAG_BYTES, "tag").toArray(ValueLayout.JAVA_BYTE);
    boolean signed = tagAlgorithm == TAG_HMAC_SHA256;
    if (!signed && !Arrays.equals(tag, new byte[TAG_BYTES])) {
      throw in.corrupt(TAG_AT, "an unsigned seal's tag field is not zero");
    }
    if (key.isPresent()) {
      if (!signed) {
        throw in.corrupt(TAG_ALGORITHM_AT, "the artifact is not signed, and a key was given to verify it"
            + " (sign it with kiln compile --sign-key FILE)");
      }
      if (!MessageDigest.isEqual(tag, hmac(covered, key.get()))) {
        throw in.corrupt(TAG_AT, "the HMAC-SHA256 tag does not match the key: the artifact was changed after it"
            + " was signed, or signed with another key");
      }
    }
    return new Seal(actual, signed);
  }

  private static String hex(int value) {
    return "0x" + String.format("%08x", value);
  }

  private static int crc32c(MemorySegment bytes) {
    CRC32C crc = new CRC32C();
    for (long at = 0; at < bytes.byteSize(); at += CHUNK) {
      crc.update(bytes.asSlice(at, Math.min(CHUNK, bytes.byteSize() - at)).asByteBuffer());
    }
    return (int) crc.getValue();
  }

  private static byte[] hmac(MemorySegment bytes, SigningKey key) {
    HmacSha256 mac = key.newMac();
    for (long at = 0; at < bytes.byteSize(); at += CHUNK) {
      mac.update(bytes.asSlice(at, Math.min(CHUNK, bytes.byteSize() - at)).asByteBuffer());
    }
    return mac.doFinal();
  }
}
