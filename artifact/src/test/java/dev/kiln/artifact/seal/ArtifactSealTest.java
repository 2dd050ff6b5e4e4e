package dev.kiln.artifact.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ArtifactSealTest {
  private static final SigningKey KEY = SigningKey.of(bytes(32, 1));
  private static final SigningKey OTHER_KEY = SigningKey.of(bytes(40, 2));

  /** Arbitrary contents with room for the seal: the seal does not care what it covers. */
  private static byte[] artifact() {
    byte[] bytes = bytes(1000, 3);
    ArtifactSeal.seal(bytes);
    return bytes;
  }

  private static byte[] bytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static CorruptArtifactException refused(byte[] artifact, Optional<SigningKey> key) {
    return assertThrows(CorruptArtifactException.class,
        () -> ArtifactSeal.verify(MemorySegment.ofArray(artifact), key));
  }

  @Test
  void theDigestIsTheCrc32cOfEverythingBeforeIt() {
    byte[] artifact = artifact();
    int sealAt = artifact.length - ArtifactSeal.SIZE;
    CRC32C crc = new CRC32C();
    crc.update(artifact, 0, sealAt + 12);
    ByteBuffer le = ByteBuffer.wrap(artifact).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals((int) crc.getValue(), le.getInt(sealAt + 12));
    assertEquals(0x4C45534B, le.getInt(sealAt));
    assertEquals(new ArtifactSeal.Seal((int) crc.getValue(), false),
        ArtifactSeal.verify(MemorySegment.ofArray(artifact), Optional.empty()));
  }

  @Test
  void aSignedArtifactVerifiesWithItsKeyAndOnItsDigestWithoutOne() {
    byte[] artifact = artifact();
    ArtifactSeal.sign(artifact, KEY);
    assertTrue(ArtifactSeal.verify(MemorySegment.ofArray(artifact), Optional.of(KEY)).signed());
    assertTrue(ArtifactSeal.verify(MemorySegment.ofArray(artifact), Optional.empty()).signed());
    CorruptArtifactException e = refused(artifact, Optional.of(OTHER_KEY));
    assertTrue(e.getMessage().contains("the HMAC-SHA256 tag does not match the key"), e.getMessage());
  }

  @Test
  void aKeyRefusesUnsignedArtifacts() {
    CorruptArtifactException e = refused(artifact(), Optional.of(KEY));
    assertTrue(e.getMessage().contains("the artifact is not signed"), e.getMessage());
  }

  @Test
  void tamperingWithoutTheKeyIsRefusedEvenWithAFreshDigest() {
    byte[] signed = artifact();
    ArtifactSeal.sign(signed, KEY);
    byte[] tampered = signed.clone();
    tampered[100] ^= 0x40;
    assertTrue(refused(tampered, Optional.empty()).getMessage().contains("damaged after it was written"));
    // Someone without the key can recompute the CRC32C, but not the tag: re-signing needs the key,
    // and an unsigned reseal drops the tag, which a verifier with the key refuses.
    ArtifactSeal.seal(tampered);
    ArtifactSeal.verify(MemorySegment.ofArray(tampered), Optional.empty());
    assertTrue(refused(tampered, Optional.of(KEY)).getMessage().contains("not signed"));
    byte[] keptTag = tampered.clone();
    System.arraycopy(signed, signed.length - ArtifactSeal.SIZE, keptTag, keptTag.length - ArtifactSeal.SIZE,
        ArtifactSeal.SIZE);
    ByteBuffer.wrap(keptTag).order(ByteOrder.LITTLE_ENDIAN).putInt(keptTag.length - ArtifactSeal.SIZE + 12,
        crcOfCovered(keptTag));
    assertTrue(refused(keptTag, Optional.of(KEY)).getMessage().contains("tag does not match"));
  }

  private static int crcOfCovered(byte[] artifact) {
    CRC32C crc = new CRC32C();
    crc.update(artifact, 0, artifact.length - ArtifactSeal.SIZE + 12);
    return (int) crc.getValue();
  }

  @Test
  void everySealFieldIsChecked() {
    byte[] valid = artifact();
    int sealAt = valid.length - ArtifactSeal.SIZE;
    for (int field = 0; field < ArtifactSeal.SIZE; field++) {
      byte[] damaged = valid.clone();
      damaged[sealAt + field] ^= 1;
      CorruptArtifactException e = refused(damaged, Optional.empty());
      assertEquals(ArtifactSeal.SECTION, e.section());
    }
    byte[] noSeal = Arrays.copyOf(valid, valid.length - 1);
    assertTrue(refused(noSeal, Optional.empty()).getMessage().contains("does not end with a seal"));
    assertFalse(ArtifactSeal.isPresent(MemorySegment.ofArray(new byte[ArtifactSeal.SIZE - 1])));
  }

  @Test
  void damagedBytesAreNeverSigned() {
    byte[] damaged = artifact();
    damaged[0] ^= 1;
    assertThrows(CorruptArtifactException.class, () -> ArtifactSeal.sign(damaged, KEY));
  }

  @Test
  void shortKeysAreRefusedAndKeysAreNotPrinted() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningKey.of(new byte[31]));
    assertTrue(e.getMessage().contains("at least 32 bytes"), e.getMessage());
    assertEquals("SigningKey[32 bytes]", KEY.toString());
  }

  /**
   * A derived key is HMAC-SHA256(key, context) (as the JDK's Mac computes it; RFC 5869's first
   * expand block): a tag made under one context's key verifies only under that context's key from the
   * same secret.
   */
  @Test
  void aTagUnderAKeyDerivedForOneContextVerifiesUnderNoOtherContextOrSecret() throws Exception {
    byte[] context = "kiln compiled-module cache entry abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(bytes(32, 1), "HmacSHA256"));
    byte[] expected = mac.doFinal(context);
    byte[] signed = artifact();
    ArtifactSeal.sign(signed, KEY.derive(context));
    ArtifactSeal.verify(MemorySegment.ofArray(signed), Optional.of(SigningKey.of(expected)));
    ArtifactSeal.verify(MemorySegment.ofArray(signed), Optional.of(KEY.derive(context.clone())));
    byte[] otherContext = context.clone();
    otherContext[otherContext.length - 1] ^= 1;
    refused(signed, Optional.of(KEY.derive(otherContext)));
    refused(signed, Optional.of(OTHER_KEY.derive(context)));
    refused(signed, Optional.of(KEY));
  }
}
