package dev.kiln.tests.integrity;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ways an artifact gets damaged, each as a function of a valid artifact, its layout and a
 * random source: what a bad disk, a torn copy or a careless tool does (bit flips, runs of garbage,
 * zeroed blocks, truncation), and what a broken writer or a hand edit does to the structure
 * (header fields and section boundaries).
 */
enum Mutation {
  /** 1-8 single-bit flips, each in a random part of the file. */
  BIT_FLIPS {
    @Override
    byte[] apply(byte[] valid, ArtifactLayout layout, SplittableRandom random, StringBuilder what) {
      byte[] out = valid.clone();
      int flips = 1 + random.nextInt(8);
      for (int i = 0; i < flips; i++) {
        int at = position(out.length, layout, random);
        int bit = random.nextInt(8);
        out[at] ^= (byte) (1 << bit);
        what.append(" flip ").append(at).append('.').append(bit);
      }
      return out;
    }
  },
  /** A run of 1-64 random bytes. */
  BYTE_RUN {
    @Override
    byte[] apply(byte[] valid, ArtifactLayout layout, SplittableRandom random, StringBuilder what) {
      byte[] out = valid.clone();
      int[] range = range(out.length, 64, layout, random);
      for (int i = range[0]; i < range[1]; i++) {
        out[i] = (byte) random.nextInt(256);
      }
      what.append(" random bytes [").append(range[0]).append(", ").append(range[1]).append(')');
      return out;
    }
  },
  /** 1-512 bytes set to zero. */
  ZEROED_RANGE {
    @Override
    byte[] apply(byte[] valid, ArtifactLayout layout, SplittableRandom random, StringBuilder what) {
      byte[] out = valid.clone();
      int[] range = range(out.length, 512, layout, random);
      Arrays.fill(out, range[0], range[1], (byte) 0);
      what.append(" zeroed [").append(range[0]).append(", ").append(range[1]).append(')');
      return out;
    }
  },
  /** The file cut short: anywhere, or within a few bytes of a section's start or end. */
  TRUNCATION {
    @Override
    byte[] apply(byte[] valid, ArtifactLayout layout, SplittableRandom random, StringBuilder what) {
      int length;
      if (random.nextBoolean()) {
        length = random.nextInt(valid.length);
      } else {
        ArtifactLayout.Region section = layout.sections().get(random.nextInt(layout.sections().size()));
        int edge = random.nextBoolean() ? section.offset() : section.end();
        length = Math.clamp(edge + random.nextInt(-4, 5), 0, valid.length - 1);
      }
      what.append(" truncated to ").append(length);
      return Arrays.copyOf(valid, length);
    }
  },
  /**
   * One field of the ELF header or of a section header rewritten: nudged by a small or a page-sized
   * amount, zeroed, set to all ones or to random bits, or given another section's value (sizes and
   * offsets traded between sections).
   */
  HEADER_FIELD {
    @Override
    byte[] apply(byte[] valid, ArtifactLayout layout, SplittableRandom random, StringBuilder what) {
      byte[] out = valid.clone();
      Field field;
      int at;
      if (random.nextInt(4) == 0) {
        field = ELF_HEADER_FIELDS.get(random.nextInt(ELF_HEADER_FIELDS.size()));
        at = field.offset();
        what.append(" ELF header ").append(field.name());
      } else {
        ArtifactLayout.Region section = layout.sections().get(random.nextInt(layout.sections().size()));
        field = SECTION_HEADER_FIELDS.get(random.nextInt(SECTION_HEADER_FIELDS.size()));
        at = section.headerAt() + field.offset();
        what.append(' ').append(section.name()).append(' ').append(field.name());
        if (random.nextInt(4) == 0) {
          ArtifactLayout.Region other = layout.sections().get(random.nextInt(layout.sections().size()));
          long value = read(valid, other.headerAt() + field.offset(), field.width());
          write(out, at, field.width(), value);
          what.append(" := ").append(other.name()).append("'s");
          return out;
        }
      }
      long old = read(valid, at, field.width());
      long value = edit(old, random);
      write(out, at, field.width(), value);
      what.append(" 0x").append(Long.toHexString(old)).append(" -> 0x").append(Long.toHexString(value));
      return out;
    }
  },
  /**
   * The bytes at a section boundary: the leading counts and sizes of a Kiln table, the last bytes of
   * a section, the padding after it; edited as a u32 (nudged, zeroed, all ones) or flipped.
   */
  SECTION_EDGE {
    @Override
    byte[] apply(byte[] valid, ArtifactLayout layout, SplittableRandom random, StringBuilder what) {
      byte[] out = valid.clone();
      ArtifactLayout.Region section = layout.sections().get(random.nextInt(layout.sections().size()));
      int at = switch (random.nextInt(3)) {
        case 0 -> section.offset() + 4 * random.nextInt(4);
        case 1 -> section.end() - 4 - random.nextInt(8);
        default -> section.end() + random.nextInt(8);
      };
      at = Math.clamp(at, 0, out.length - 4);
      long old = read(valid, at, 4);
      long value = random.nextBoolean() ? edit(old, random) & 0xFFFF_FFFFL : old ^ (1L << random.nextInt(32));
      write(out, at, 4, value);
      what.append(' ').append(section.name()).append(" edge u32 at ").append(at).append(" 0x")
          .append(Long.toHexString(old)).append(" -> 0x").append(Long.toHexString(value));
      return out;
    }
  },
  /**
   * 1-3 edits inside a side table the runtime walks ({@code .kiln.stackmaps}, {@code
   * .kiln.handlers}): a byte nudged by one, a bit flipped, zeroed, made a varint's continuation or
   * its largest one-byte value, or random. Their entries are varints of return-address distances,
   * landing-pad distances, frame depths (16-byte units) and slots (8-byte units), so such edits
   * move an entry to another call, a pad to another instruction, a frame or a slot by a unit, or
   * misalign the rest of a block. An artifact without either table gets the edits in a random section.
   */
  SIDE_TABLE {
    @Override
    byte[] apply(byte[] valid, ArtifactLayout layout, SplittableRandom random, StringBuilder what) {
      byte[] out = valid.clone();
      List<ArtifactLayout.Region> tables = layout.sections().stream()
          .filter(r -> r.size() > 0 && (r.name().equals(".kiln.stackmaps") || r.name().equals(".kiln.handlers")))
          .toList();
      List<ArtifactLayout.Region> from = tables.isEmpty()
          ? layout.sections().stream().filter(r -> r.size() > 0).toList() : tables;
      ArtifactLayout.Region table = from.get(random.nextInt(from.size()));
      int edits = 1 + random.nextInt(3);
      what.append(' ').append(table.name());
      for (int i = 0; i < edits; i++) {
        int at = table.offset() + random.nextInt(table.size());
        byte old = out[at];
        out[at] = switch (random.nextInt(6)) {
          case 0 -> (byte) (old + 1);
          case 1 -> (byte) (old - 1);
          case 2 -> (byte) (old ^ (1 << random.nextInt(8)));
          case 3 -> 0;
          case 4 -> (byte) (random.nextBoolean() ? 0x80 : 0x7F);
          default -> (byte) random.nextInt(256);
        };
        what.append(String.format(java.util.Locale.ROOT, " [%d] 0x%02x -> 0x%02x", at, old & 0xFF, out[at] & 0xFF));
      }
      return out;
    }
  };

  /** The mutated copy of {@code valid}; {@code what} gets a description to reproduce it by. */
  abstract byte[] apply(byte[] valid, ArtifactLayout layout, SplittableRandom random, StringBuilder what);

  private record Field(String name, int offset, int width) {}

  private static final List<Field> ELF_HEADER_FIELDS = List.of(
      new Field("EI_CLASS", 4, 1), new Field("EI_DATA", 5, 1), new Field("EI_OSABI", 7, 1),
      new Field("e_type", 0x10, 2), new Field("e_machine", 0x12, 2), new Field("e_version", 0x14, 4),
      new Field("e_shoff", 0x28, 8), new Field("e_flags", 0x30, 4), new Field("e_ehsize", 0x34, 2),
      new Field("e_shentsize", 0x3A, 2), new Field("e_shnum", 0x3C, 2), new Field("e_shstrndx", 0x3E, 2));

  private static final List<Field> SECTION_HEADER_FIELDS = List.of(
      new Field("sh_name", 0, 4), new Field("sh_type", 4, 4), new Field("sh_flags", 8, 8),
      new Field("sh_offset", 0x18, 8), new Field("sh_size", 0x20, 8), new Field("sh_addralign", 0x30, 8));

  private static final long[] NUDGES = {1, 2, 4, 8, 16, 64, 4096, 65536};

  /** A plausible-looking wrong value for a field that held {@code old}. */
  private static long edit(long old, SplittableRandom random) {
    return switch (random.nextInt(5)) {
      case 0, 1 -> old + (random.nextBoolean() ? 1 : -1) * NUDGES[random.nextInt(NUDGES.length)];
      case 2 -> 0;
      case 3 -> -1L;
      default -> random.nextLong();
    };
  }

  /**
   * A byte position: half the time uniform over the file, half the time inside one part chosen
   * uniformly (ELF header, a section, the section header table), so small structures are hit as
   * often as the large code and padding.
   */
  static int position(int length, ArtifactLayout layout, SplittableRandom random) {
    if (random.nextBoolean()) {
      return random.nextInt(length);
    }
    int part = random.nextInt(layout.sections().size() + 2);
    if (part == 0) {
      return random.nextInt(ArtifactLayout.EHDR_SIZE);
    }
    if (part == 1) {
      return layout.sectionHeaderTable() + random.nextInt(layout.sectionCount() * ArtifactLayout.SHDR_SIZE);
    }
    ArtifactLayout.Region section = layout.sections().get(part - 2);
    return section.size() == 0 ? Math.min(section.offset(), length - 1)
        : section.offset() + random.nextInt(section.size());
  }

  /** {@code [start, end)}: 1 to {@code maxLength} bytes from a {@link #position}, inside the file. */
  private static int[] range(int length, int maxLength, ArtifactLayout layout, SplittableRandom random) {
    int start = position(length, layout, random);
    return new int[] {start, Math.min(start + 1 + random.nextInt(maxLength), length)};
  }

  private static long read(byte[] bytes, int at, int width) {
    ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    return switch (width) {
      case 1 -> Byte.toUnsignedLong(bytes[at]);
      case 2 -> Short.toUnsignedLong(le.getShort(at));
      case 4 -> Integer.toUnsignedLong(le.getInt(at));
      default -> le.getLong(at);
    };
  }

  private static void write(byte[] bytes, int at, int width, long value) {
    ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    switch (width) {
      case 1 -> bytes[at] = (byte) value;
      case 2 -> le.putShort(at, (short) value);
      case 4 -> le.putInt(at, (int) value);
      default -> le.putLong(at, value);
    }
  }
}
