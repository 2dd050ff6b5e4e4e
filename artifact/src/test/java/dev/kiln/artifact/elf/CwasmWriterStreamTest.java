package dev.kiln.artifact.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.artifact.tables.TrapCode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CwasmWriter#writeTo(Path, Optional)} streams the file to disk as it lays it out: the bytes
 * are {@link CwasmWriter#toByteArray}'s (signed, {@link ArtifactSeal#sign}'s), whatever the text's
 * size against the writer's slices, and a text that does not give the bytes it promised leaves no
 * file.
 */
class CwasmWriterStreamTest {
  private static final SigningKey KEY = SigningKey.of(filled(32, 7));

  @TempDir
  Path dir;

  @Test
  void theStreamedFileIsTheArraysByteForByte() throws IOException {
    Path file = dir.resolve("x86.cwasm");
    long size = sample().writeTo(file, Optional.empty());
    byte[] expected = sample().toByteArray();
    assertArrayEquals(expected, Files.readAllBytes(file));
    assertEquals(expected.length, size);
  }

  @Test
  void aTextOfSeveralSlicesStreamsToTheSameBytes() throws IOException {
    int length = 3 * ArtifactFileWriter.IO_SLICE_BYTES + 4093;
    byte[] code = new byte[length];
    for (int i = 0; i < length; i++) {
      code[i] = (byte) (i * 31 + (i >>> 13));
    }
    Path file = dir.resolve("large.cwasm");
    large(code).writeTo(file, Optional.empty());
    assertArrayEquals(large(code).toByteArray(), Files.readAllBytes(file));
  }

  @Test
  void aSignedStreamedFileIsTheSignedArray() throws IOException {
    Path file = dir.resolve("signed.cwasm");
    sample().writeTo(file, Optional.of(KEY));
    byte[] expected = sample().toByteArray();
    ArtifactSeal.sign(expected, KEY);
    byte[] written = Files.readAllBytes(file);
    assertArrayEquals(expected, written);
    ArtifactSeal.verify(MemorySegment.ofArray(written), Optional.of(KEY)); // throws if the tag is wrong
  }

  @Test
  void aTextShortOfItsSizeFailsTheWriteAndLeavesNoFile() throws IOException {
    CwasmWriter writer = new CwasmWriter(CompatHeader.current("0.1.0-test", Target.X86_64, SampleArtifacts.SETTINGS))
        .text(new TextImage() {
          @Override
          public int size() {
            return 64;
          }

          @Override
          public void writeTo(Output out) {
            out.write(new byte[63], 0, 63);
          }
        })
        .function(FuncKey.definedWasmFunction(0, 0), 0, 64, "f");
    Path file = dir.resolve("short.cwasm");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> writer.writeTo(file, Optional.empty()));
    assertTrue(e.getMessage().matches("\\.text ends at \\d+, laid out to end at \\d+"), e.getMessage());
    assertFalse(Files.exists(file));
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count(), "the temporary file is deleted");
    }
    assertThrows(IllegalStateException.class, writer::toByteArray);
  }

  private static CwasmWriter sample() {
    var functions = SampleArtifacts.x86Functions();
    return SampleArtifacts.writer(Target.X86_64, functions, 0xCC)
        .addressMapping(0, 0x20).addressMapping(5, 0x22)
        .trap(functions.get(2).start(), TrapCode.UNREACHABLE);
  }

  private static CwasmWriter large(byte[] code) {
    return new CwasmWriter(CompatHeader.current("0.1.0-test", Target.X86_64, SampleArtifacts.SETTINGS))
        .text(code).moduleInfo(SampleArtifacts.INFO)
        .function(FuncKey.definedWasmFunction(0, 0), 0, code.length, "large")
        .addressMapping(0, 0x20).addressMapping(code.length - 1, 0x24);
  }

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
