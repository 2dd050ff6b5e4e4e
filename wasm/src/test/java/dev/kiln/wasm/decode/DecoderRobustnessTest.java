package dev.kiln.wasm.decode;

import dev.kiln.wasm.Features;
import static dev.kiln.wasm.decode.ModuleBytes.b;
import static dev.kiln.wasm.decode.ModuleBytes.cat;
import static dev.kiln.wasm.decode.ModuleBytes.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.module.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every damaged variant of a module that uses every section kind either decodes or fails with
 * {@link MalformedException}: no index or size taken from the bytes may reach an array unchecked.
 */
class DecoderRobustnessTest {
  private static final byte[] EVERY_SECTION =
      new ModuleBytes()
          .section(1, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7F, 0x01, 0x7F)
          .section(2, cat(b(0x02), name("m"), name("f"), b(0x00, 0x01), name("m"), name("g"), b(0x03, 0x7F, 0x00)))
          .section(3, 0x02, 0x00, 0x01)
          .section(4, 0x01, 0x70, 0x01, 0x00, 0x02)
          .section(5, 0x01, 0x01, 0x01, 0x02)
          .section(6, 0x02, 0x7F, 0x01, 0x23, 0x00, 0x0B, 0x70, 0x00, 0xD2, 0x01, 0x0B)
          .section(7, cat(b(0x02), name("run"), b(0x00, 0x01), name("mem"), b(0x02, 0x00)))
          .section(8, 0x01)
          .section(9, 0x02, 0x00, 0x41, 0x00, 0x0B, 0x02, 0x00, 0x02, 0x05, 0x70, 0x01, 0xD2, 0x00, 0x0B)
          .section(12, 0x02)
          .section(10, 0x02, 0x02, 0x00, 0x0B, 0x0B, 0x01, 0x01, 0x7E, 0x20, 0x00, 0x10, 0x00, 0xFC, 0x09, 0x01, 0x0B)
          .section(11, 0x02, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x2A, 0x01, 0x00)
          .section(0, cat(name("name"), b(0x01, 0x04, 0x01, 0x01, 0x01, 0x66)))
          .bytes();

  @Test
  void theModuleItselfDecodes() {
    Module m = Decoder.decode(EVERY_SECTION);
    assertEquals(2, m.code().size());
    assertEquals("f", m.names().functionNames().get(1));
  }

  @Test
  void everyTruncationIsMalformedUnlessItEndsBetweenCompleteSections() {
    // Cut after the header, the type section or the import section, or just before the final name
    // section (13 bytes), what is left is a module; any other cut leaves a section unfinished,
    // functions without code or a data count without data.
    List<Integer> decodable = new ArrayList<>();
    for (int length = 0; length < EVERY_SECTION.length; length++) {
      byte[] prefix = Arrays.copyOf(EVERY_SECTION, length);
      try {
        Decoder.decode(prefix);
        decodable.add(length);
      } catch (MalformedException e) {
        if (e.offset() < 0 || e.offset() > length) {
          fail("offset " + e.offset() + " outside a file of " + length + " bytes");
        }
      }
    }
    assertEquals(List.of(8, 8 + 11, 8 + 11 + 16, EVERY_SECTION.length - 13), decodable);
  }

  @Test
  void everyByteReplacedDecodesOrIsMalformed() {
    int[] values = {0x00, 0x01, 0x02, 0x0B, 0x40, 0x60, 0x70, 0x7F, 0x80, 0xC0, 0xFC, 0xFD, 0xFF};
    for (int at = 8; at < EVERY_SECTION.length; at++) {
      for (int v : values) {
        byte[] mutant = EVERY_SECTION.clone();
        mutant[at] = (byte) v;
        for (Features features : new Features[] {Features.ALL, Features.STANDARD}) {
          try {
            Decoder.decode(mutant, features);
          } catch (MalformedException expected) {
            // a verdict on the input
          } catch (RuntimeException bug) {
            throw new AssertionError("byte " + at + " = 0x" + Integer.toHexString(v) + ": " + bug, bug);
          }
        }
      }
    }
  }
}
