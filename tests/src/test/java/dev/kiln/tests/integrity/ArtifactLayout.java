package dev.kiln.tests.integrity;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the parts of a valid {@code .cwasm} are, read straight from its ELF headers (System V gABI,
 * "ELF Header", "Sections") without Kiln's reader, so the mutator can aim at section boundaries and
 * header fields and the test can tell where a change landed.
 */
record ArtifactLayout(int sectionHeaderTable, List<Region> sections) {
  static final int EHDR_SIZE = 64;
  static final int SHDR_SIZE = 64;

  /** One section: its name, the index and file offset of its header, and the bytes it covers. */
  record Region(String name, int index, int headerAt, int offset, int size) {
    int end() {
      return offset + size;
    }
  }

  static ArtifactLayout of(byte[] artifact) {
    ByteBuffer le = ByteBuffer.wrap(artifact).order(ByteOrder.LITTLE_ENDIAN);
    int table = (int) le.getLong(0x28);
    int count = Short.toUnsignedInt(le.getShort(0x3C));
    int names = Short.toUnsignedInt(le.getShort(0x3E));
    int namesAt = (int) le.getLong(table + names * SHDR_SIZE + 0x18);
    List<Region> sections = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int header = table + i * SHDR_SIZE;
      int nameAt = namesAt + le.getInt(header);
      int nameEnd = nameAt;
      while (artifact[nameEnd] != 0) {
        nameEnd++;
      }
      String name = new String(artifact, nameAt, nameEnd - nameAt, StandardCharsets.US_ASCII);
      sections.add(new Region(name, i, header, (int) le.getLong(header + 0x18), (int) le.getLong(header + 0x20)));
    }
    return new ArtifactLayout(table, List.copyOf(sections));
  }

  int sectionCount() {
    return sections.size() + 1;
  }

  Region section(String name) {
    return sections.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }
}
