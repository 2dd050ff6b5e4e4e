package dev.kiln.tests.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Structure-blind mutations of a module's bytes, stacked one to four deep. The byte values chosen
 * aim at the binary format's soft spots: LEB128 continuation bits (0x80, 0xFF), counts and sizes
 * (0x7F, 0xFF run), section ids and opcode prefixes (0x00, 0x0B, 0xFC, 0xFD).
 */
final class Mutator {
  private static final byte[] INTERESTING = {
    0x00, 0x01, 0x0B, 0x40, 0x7F, (byte) 0x80, (byte) 0xFC, (byte) 0xFD, (byte) 0xFF
  };

  private Mutator() {}

  static byte[] mutate(byte[] original, SplittableRandom random) {
    byte[] bytes = original;
    int depth = 1 + random.nextInt(4);
    for (int i = 0; i < depth && bytes.length > 0; i++) {
      bytes = once(bytes, random);
    }
    return bytes;
  }

  private static byte[] once(byte[] in, SplittableRandom random) {
    int at = random.nextInt(in.length);
    return switch (random.nextInt(6)) {
      case 0 -> { // flip one bit
        byte[] out = in.clone();
        out[at] ^= (byte) (1 << random.nextInt(8));
        yield out;
      }
      case 1 -> { // overwrite with an interesting value
        byte[] out = in.clone();
        out[at] = INTERESTING[random.nextInt(INTERESTING.length)];
        yield out;
      }
      case 2 -> { // insert one byte
        byte[] out = new byte[in.length + 1];
        System.arraycopy(in, 0, out, 0, at);
        out[at] = (byte) random.nextInt(256);
        System.arraycopy(in, at, out, at + 1, in.length - at);
        yield out;
      }
      case 3 -> { // delete a short run
        int n = Math.min(1 + random.nextInt(16), in.length - at);
        byte[] out = new byte[in.length - n];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + n, out, at, in.length - at - n);
        yield out;
      }
      case 4 -> Arrays.copyOf(in, at); // truncate
      default -> { // a run of 0xFF: huge LEB128 counts and sizes
        byte[] out = in.clone();
        Arrays.fill(out, at, Math.min(in.length, at + 1 + random.nextInt(5)), (byte) 0xFF);
        yield out;
      }
    };
  }
}
