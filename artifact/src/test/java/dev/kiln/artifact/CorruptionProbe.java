package dev.kiln.artifact;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.artifact.seal.ArtifactSeal;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Feeds damaged copies of a valid encoding to a reader and checks that the only failure that can
 * escape is an {@link ArtifactException}: never an index exception, arithmetic error or anything
 * else. The reader callback should open the bytes and then exercise every query.
 */
public final class CorruptionProbe {
  private CorruptionProbe() {}

  /**
   * {@code reader} behind a fresh seal: each damaged copy gets its CRC32C recomputed before {@code
   * reader} sees it, so the damage reaches the structural checks instead of stopping at the seal
   * (as if a faulty writer, not the disk, had made it).
   */
  public static Consumer<MemorySegment> resealed(Consumer<MemorySegment> reader) {
    return segment -> {
      byte[] bytes = segment.toArray(ValueLayout.JAVA_BYTE);
      if (bytes.length >= ArtifactSeal.SIZE) {
        ArtifactSeal.seal(bytes);
      }
      reader.accept(MemorySegment.ofArray(bytes));
    };
  }

  /** Every strict prefix of {@code valid} must be rejected with an {@link ArtifactException}. */
  public static void everyTruncationIsRejected(byte[] valid, Consumer<MemorySegment> reader) {
    for (int length = 0; length < valid.length; length++) {
      byte[] prefix = Arrays.copyOf(valid, length);
      int len = length;
      ArtifactException e = assertThrows(ArtifactException.class, () -> reader.accept(MemorySegment.ofArray(prefix)),
          () -> "prefix of " + len + " of " + valid.length + " bytes was accepted");
      assertNotNull(e.getMessage());
    }
  }

  /**
   * {@code rounds} copies of {@code valid}, each with 1-4 random bytes changed, run through {@code
   * reader}; returns how many were rejected (the rest opened and answered every query).
   */
  public static int randomFlipsOnlyRaiseArtifactExceptions(byte[] valid, long seed, int rounds,
      Consumer<MemorySegment> reader) {
    return randomFlips(valid, seed, rounds, 0, valid.length, reader);
  }

  /** As above, flipping only bytes in {@code [from, to)}. */
  public static int randomFlips(byte[] valid, long seed, int rounds, int from, int to, Consumer<MemorySegment> reader) {
    Random random = new Random(seed);
    int rejected = 0;
    for (int round = 0; round < rounds; round++) {
      byte[] copy = valid.clone();
      int flips = 1 + random.nextInt(4);
      StringBuilder where = new StringBuilder();
      for (int f = 0; f < flips; f++) {
        int at = from + random.nextInt(to - from);
        byte value = random.nextInt(3) == 0 ? (byte) (copy[at] ^ (1 << random.nextInt(8))) : (byte) random.nextInt();
        where.append(at).append('=').append(value & 0xFF).append(' ');
        copy[at] = value;
      }
      try {
        reader.accept(MemorySegment.ofArray(copy));
      } catch (ArtifactException expected) {
        rejected++;
      } catch (RuntimeException | Error other) {
        fail("round " + round + " (seed " + seed + ", bytes " + where + ") threw " + other, other);
      }
    }
    return rejected;
  }
}
