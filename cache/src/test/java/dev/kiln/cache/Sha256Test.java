package dev.kiln.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cache's own SHA-256 gives the digests of FIPS 180-4's examples and of the JDK's provider. */
class Sha256Test {
  @Test
  void fipsExamples() {
    // FIPS 180-4's examples (csrc.nist.gov "SHA256.pdf", "SHA2_Additional"): one block, two blocks.
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex("abc"));
    assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(""));
  }

  /** Every length from 0 to three blocks and beyond, in one update and in uneven pieces. */
  @Test
  void agreesWithTheJdkAtEveryLengthAndSplit() throws NoSuchAlgorithmException {
    Random random = new Random(180_4);
    for (int length = 0; length <= 200; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
      assertArrayEquals(expected, new Sha256().update(data).digest(), "length " + length);
      Sha256 pieces = new Sha256();
      for (int offset = 0; offset < length; ) {
        int piece = Math.min(length - offset, 1 + random.nextInt(70));
        pieces.update(data, offset, piece);
        offset += piece;
      }
      assertArrayEquals(expected, pieces.digest(), "length " + length + " in pieces");
    }
    byte[] large = new byte[3_000_001];
    random.nextBytes(large);
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(large), new Sha256().update(large).digest());
  }

  private static String hex(String text) {
    return HexFormat.of().formatHex(new Sha256().update(text.getBytes(StandardCharsets.US_ASCII)).digest());
  }
}
