package dev.kiln.cache;

import java.util.Arrays;

/**
 * SHA-256 (FIPS 180-4, sections 4.1.2, 5.1.1, 6.2), the cache's key digest, without the Java
 * Cryptography Architecture: {@code MessageDigest.getInstance} first loads the security properties
 * and the provider list, 7 ms of every cached {@code kiln run} in a cold JVM
 * (docs/history/performance-journal.md, "The launcher, and call sites the AOT cache does not
 * hold"), and the key needs no provider's choice, only the function. The tests check it against
 * {@code MessageDigest}'s over inputs of every length around the block boundaries.
 */
final class Sha256 {
  /** The first 32 bits of the fractional parts of the cube roots of the first 64 primes (4.2.2). */
  private static final int[] K = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  };

  private static final int BLOCK = 64;

  /** The initial hash value (5.3.3). */
  private final int[] h = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  };
  private final int[] w = new int[64];
  private final byte[] pending = new byte[BLOCK];
  private int pendingLength;
  private long totalBytes;

  Sha256 update(byte[] bytes) {
    return update(bytes, 0, bytes.length);
  }

  Sha256 update(byte[] bytes, int offset, int length) {
    totalBytes += length;
    int end = offset + length;
    if (pendingLength > 0) {
      int taken = Math.min(BLOCK - pendingLength, length);
      System.arraycopy(bytes, offset, pending, pendingLength, taken);
      pendingLength += taken;
      offset += taken;
      if (pendingLength < BLOCK) {
        return this;
      }
      compress(pending, 0);
      pendingLength = 0;
    }
    for (; end - offset >= BLOCK; offset += BLOCK) {
      compress(bytes, offset);
    }
    System.arraycopy(bytes, offset, pending, 0, end - offset);
    pendingLength = end - offset;
    return this;
  }

  /** The 32-byte digest of everything updated; the digest is then spent. */
  byte[] digest() {
    long bits = totalBytes * 8;
    // Padding (5.1.1): a 1 bit, zeros up to 56 bytes into a block, the message length in bits.
    byte[] tail = new byte[pendingLength < 56 ? BLOCK : 2 * BLOCK];
    System.arraycopy(pending, 0, tail, 0, pendingLength);
    tail[pendingLength] = (byte) 0x80;
    for (int i = 0; i < 8; i++) {
      tail[tail.length - 1 - i] = (byte) (bits >>> (8 * i));
    }
    for (int offset = 0; offset < tail.length; offset += BLOCK) {
      compress(tail, offset);
    }
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      out[4 * i] = (byte) (h[i] >>> 24);
      out[4 * i + 1] = (byte) (h[i] >>> 16);
      out[4 * i + 2] = (byte) (h[i] >>> 8);
      out[4 * i + 3] = (byte) h[i];
    }
    Arrays.fill(h, 0);
    return out;
  }

  /** One block of the hash computation (6.2.2). */
  private void compress(byte[] block, int offset) {
    for (int t = 0; t < 16; t++) {
      int i = offset + 4 * t;
      w[t] = (block[i] << 24) | (block[i + 1] & 0xFF) << 16 | (block[i + 2] & 0xFF) << 8 | (block[i + 3] & 0xFF);
    }
    for (int t = 16; t < 64; t++) {
      int s0 = Integer.rotateRight(w[t - 15], 7) ^ Integer.rotateRight(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      int s1 = Integer.rotateRight(w[t - 2], 17) ^ Integer.rotateRight(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    int a = h[0];
    int b = h[1];
    int c = h[2];
    int d = h[3];
    int e = h[4];
    int f = h[5];
    int g = h[6];
    int hh = h[7];
    for (int t = 0; t < 64; t++) {
      int sum1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
      int choose = (e & f) ^ (~e & g);
      int t1 = hh + sum1 + choose + K[t] + w[t];
      int sum0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
      int majority = (a & b) ^ (a & c) ^ (b & c);
      int t2 = sum0 + majority;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
}
