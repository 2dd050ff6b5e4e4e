package dev.kiln.artifact.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@link HmacSha256} against RFC 4231's test vectors and the JDK's {@code Mac}. */
class HmacSha256Test {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    java.util.Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** RFC 4231 section 4: test cases 1, 2 (a key shorter than the output), 6 and 7 (keys longer than a block). */
  @Test
  void rfc4231Vectors() {
    assertArrayEquals(HEX.parseHex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        new HmacSha256(filled(20, 0x0b)).doFinal(ascii("Hi There")));
    assertArrayEquals(HEX.parseHex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        new HmacSha256(ascii("Jefe")).doFinal(ascii("what do ya want for nothing?")));
    assertArrayEquals(HEX.parseHex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        new HmacSha256(filled(131, 0xaa)).doFinal(ascii("Test Using Larger Than Block-Size Key - Hash Key First")));
    assertArrayEquals(HEX.parseHex("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        new HmacSha256(filled(131, 0xaa)).doFinal(ascii("This is a test using a larger than block-size key and a"
            + " larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.")));
  }

  /**
   * Keys and messages of every length around SHA-256's 64-byte block, given whole, in pieces and as
   * buffers, agree with the JDK's HmacSHA256.
   */
  @Test
  void agreesWithTheJdksMac() throws Exception {
    Mac jdk = Mac.getInstance("HmacSHA256");
    for (int keyLength : new int[] {1, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000}) {
      byte[] key = new byte[keyLength];
      for (int i = 0; i < keyLength; i++) {
        key[i] = (byte) (i * 31 + keyLength);
      }
      jdk.init(new SecretKeySpec(key, "HmacSHA256"));
      for (int length = 0; length <= 200; length++) {
        byte[] message = new byte[length];
        for (int i = 0; i < length; i++) {
          message[i] = (byte) (i * 7 + length);
        }
        byte[] expected = jdk.doFinal(message);
        assertArrayEquals(expected, new HmacSha256(key).doFinal(message), keyLength + "-byte key, " + length + " bytes");
        HmacSha256 pieces = new HmacSha256(key);
        int half = length / 2;
        pieces.update(message, 0, half);
        pieces.update(ByteBuffer.wrap(message, half, length - half));
        assertArrayEquals(expected, pieces.doFinal(), keyLength + "-byte key, " + length + " bytes in two pieces");
      }
    }
  }
}
