package dev.kiln.artifact.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.CorruptionProbe;
import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.Target;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompatHeaderTest {
  private static final Map<String, String> SETTINGS =
      Map.of("table_lazy_init", "true", "cpu.x86.bmi2", "false", "bounds_checks", "explicit", "naïve", "ünïcode");

  @Test
  void roundTripsThroughItsEncoding() {
    CompatHeader header = CompatHeader.current("0.1.0", Target.AARCH64, SETTINGS);
    CompatHeader decoded = CompatHeader.decode(MemorySegment.ofArray(header.encode()));
    assertEquals(header, decoded);
    assertEquals(CompatHeader.FORMAT_VERSION, decoded.formatVersion());
    decoded.check(Target.AARCH64, SETTINGS);
  }

  @Test
  void checkNamesEveryMismatch() {
    CompatHeader header = CompatHeader.current("0.1.0", Target.X86_64,
        Map.of("table_lazy_init", "true", "cpu.x86.avx2", "true", "old_flag", "1"));
    IncompatibleArtifactException e = assertThrows(IncompatibleArtifactException.class,
        () -> header.check(Target.AARCH64, Map.of("table_lazy_init", "false", "cpu.x86.avx2", "true", "new_flag", "2")));
    assertEquals("incompatible artifact (written by Kiln 0.1.0): compiled for x86_64 but this runtime runs aarch64; "
        + "setting new_flag is missing from the artifact (runtime expects \"2\"); "
        + "setting old_flag=\"1\" is unknown to this runtime; "
        + "setting table_lazy_init is \"true\" in the artifact but \"false\" in this runtime", e.getMessage());
  }

  @Test
  void otherFormatVersionsAreIncompatibleNotCorrupt() {
    byte[] bytes = CompatHeader.current("0.1.0", Target.X86_64, SETTINGS).encode();
    bytes[0] = (byte) (CompatHeader.FORMAT_VERSION + 1);
    IncompatibleArtifactException e = assertThrows(IncompatibleArtifactException.class,
        () -> CompatHeader.decode(MemorySegment.ofArray(bytes)));
    assertEquals("artifact format version " + (CompatHeader.FORMAT_VERSION + 1) + ", this runtime reads version "
        + CompatHeader.FORMAT_VERSION + "; recompile the module", e.getMessage());
  }

  @Test
  void malformedHeadersAreCorrupt() {
    byte[] valid = CompatHeader.current("0.1.0", Target.X86_64, SETTINGS).encode();
    CorruptionProbe.everyTruncationIsRejected(valid, CompatHeader::decode);
    CorruptionProbe.randomFlipsOnlyRaiseArtifactExceptions(valid, 4, 5000, CompatHeader::decode);
    byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
    assertThrows(CorruptArtifactException.class, () -> CompatHeader.decode(MemorySegment.ofArray(trailing)));
    byte[] badTarget = valid.clone();
    badTarget[4] = 9;
    assertEquals(".kiln.compat at offset 0x4: unknown target code 9",
        assertThrows(CorruptArtifactException.class, () -> CompatHeader.decode(MemorySegment.ofArray(badTarget)))
            .getMessage());
  }
}
