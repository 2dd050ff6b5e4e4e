package dev.kiln.artifact.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.CorruptionProbe;
import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.TextRange;
import dev.kiln.artifact.index.FunctionIndex;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.tables.TrapCode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CwasmFileTest {
  @Test
  void readsBackEverythingTheWriterWrote() {
    List<SampleArtifacts.Function> functions = SampleArtifacts.x86Functions();
    byte[] bytes = SampleArtifacts.x86File();
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(bytes));

    assertEquals(Target.X86_64, file.target());
    assertEquals("0.1.0-test", file.compat().kilnVersion());
    file.compat().check(Target.X86_64, SampleArtifacts.SETTINGS);
    assertEquals(0, file.fileOffset(KilnSection.TEXT) % 4096);
    assertArrayEquals(SampleArtifacts.text(functions, 0xCC), file.text().toArray(ValueLayout.JAVA_BYTE));
    assertArrayEquals(SampleArtifacts.INFO, file.section(KilnSection.INFO).toArray(ValueLayout.JAVA_BYTE));
    assertArrayEquals(SampleArtifacts.DATA, file.section(KilnSection.DATA).toArray(ValueLayout.JAVA_BYTE));

    FunctionIndex index = file.functions();
    assertEquals(functions.size(), index.functionCount());
    for (int i = 0; i < functions.size(); i++) {
      SampleArtifacts.Function f = functions.get(i);
      int end = i + 1 < functions.size() ? functions.get(i + 1).start() : f.start() + f.code().length;
      assertEquals(Optional.of(new TextRange(f.start(), end)), index.lookup(f.key()));
      assertEquals(Optional.of(f.key()), index.keyAt(f.start() + f.code().length - 1));
    }
    assertEquals(Optional.empty(), index.lookup(FuncKey.definedWasmFunction(0, 2)));
    assertEquals(Optional.of(TrapCode.UNREACHABLE), file.traps().lookup(functions.get(2).start()));
    assertEquals(Optional.empty(), file.traps().lookup(functions.get(2).start() + 1));
    assertEquals(0x22, file.addressMap().wasmOffsetAt(5));
    assertTrue(file.section(".symtab").isPresent());
    assertTrue(file.section(".kiln.nothing").isEmpty());
  }

  @Test
  void aarch64TextIsAlignedToSixtyFourKib() {
    byte[] bytes = SampleArtifacts.writer(Target.AARCH64, SampleArtifacts.aarch64Functions(), 0).toByteArray();
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(bytes));
    assertEquals(Target.AARCH64, file.target());
    assertEquals(65536, file.fileOffset(KilnSection.TEXT));
    assertEquals(183, Short.toUnsignedInt(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(0x12)));
  }

  @Test
  void readsAFileIntoMemoryThatTheFileCannotChangeAfterwards(@TempDir Path dir) throws IOException {
    Path path = dir.resolve("sample.cwasm");
    byte[] bytes = SampleArtifacts.x86File();
    Files.write(path, bytes);
    try (Arena arena = Arena.ofConfined()) {
      CwasmFile file = CwasmFile.read(path, arena);
      assertFalse(file.file().isMapped());
      assertEquals(file.file().address() + file.fileOffset(KilnSection.TEXT), file.text().address());
      byte[] text = file.text().toArray(ValueLayout.JAVA_BYTE);
      // Truncated and rewritten after the checks: a mapping would now fault (SIGBUS, an InternalError
      // in Java) or show the new bytes; the copy is what was checked.
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(new byte[bytes.length]), 0);
      }
      assertArrayEquals(text, file.text().toArray(ValueLayout.JAVA_BYTE));
      assertEquals(0, file.functions().startOf(FuncKey.definedWasmFunction(0, 0)));
    }
  }

  @Test
  void tellsAKilnArtifactFromOtherFiles() throws IOException {
    assertTrue(CwasmFile.looksLikeCwasm(MemorySegment.ofArray(SampleArtifacts.x86File())));
    byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0};
    assertFalse(CwasmFile.looksLikeCwasm(MemorySegment.ofArray(wasm)));
    assertEquals("ELF header at file offset 0x0: ELF header (64 bytes) runs past the end (8 bytes)",
        assertThrows(CorruptArtifactException.class, () -> CwasmFile.open(MemorySegment.ofArray(wasm))).getMessage());
    byte[] notElf = new byte[128];
    assertEquals("ELF header at file offset 0x0: not an ELF file (no \\x7fELF magic)",
        assertThrows(CorruptArtifactException.class, () -> CwasmFile.open(MemorySegment.ofArray(notElf))).getMessage());
    Path ls = Path.of("/bin/ls");
    if (Files.isRegularFile(ls)) {
      byte[] host = Files.readAllBytes(ls);
      assertFalse(CwasmFile.looksLikeCwasm(MemorySegment.ofArray(host)));
      String message = assertThrows(CorruptArtifactException.class,
          () -> CwasmFile.open(MemorySegment.ofArray(host))).getMessage();
      assertTrue(message.startsWith("ELF header at file offset 0x7: an ELF file but not a Kiln artifact"), message);
    }
  }

  @Test
  void machineAndCompatTargetMustAgree() {
    byte[] bytes = SampleArtifacts.x86File();
    bytes[0x12] = (byte) 183; // e_machine := EM_AARCH64, but .text is at 4 KiB and compat says x86_64
    bytes[0x13] = 0;
    ArtifactSeal.seal(bytes);
    String message = assertThrows(CorruptArtifactException.class, () -> CwasmFile.open(MemorySegment.ofArray(bytes)))
        .getMessage();
    assertTrue(message.contains(".text is at file offset 0x1000, not at 0x10000") || message.contains(
        "e_machine says aarch64"), message);
  }

  @Test
  void writerRefusesContentOutsideText() {
    CwasmWriter writer = SampleArtifacts.writer(Target.X86_64, SampleArtifacts.x86Functions(), 0xCC);
    int textSize = SampleArtifacts.text(SampleArtifacts.x86Functions(), 0xCC).length;
    writer.trap(textSize, TrapCode.UNREACHABLE);
    assertThrows(IllegalStateException.class, writer::toByteArray);
    CwasmWriter tooLong = SampleArtifacts.writer(Target.X86_64, SampleArtifacts.x86Functions(), 0xCC)
        .function(FuncKey.builtin(0), textSize, 1, "builtin");
    assertThrows(IllegalStateException.class, tooLong::toByteArray);
  }

  @Test
  void everyTruncationIsRejected() {
    CorruptionProbe.everyTruncationIsRejected(SampleArtifacts.x86File(), CwasmFileTest::openAndUseEverything);
    CorruptionProbe.everyTruncationIsRejected(SampleArtifacts.x86File(),
        CorruptionProbe.resealed(CwasmFileTest::openAndUseEverything));
  }

  @Test
  void everySingleBitFlipIsRefusedAtTheSeal() {
    byte[] valid = SampleArtifacts.x86File();
    for (int at = 0; at < valid.length; at++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] damaged = valid.clone();
        damaged[at] ^= (byte) (1 << bit);
        CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
            () -> CwasmFile.open(MemorySegment.ofArray(damaged)), "bit " + bit + " of byte " + at);
        assertEquals(ArtifactSeal.SECTION, e.section(), e.getMessage());
      }
    }
  }

  @Test
  void sealedFileNamesEveryDamagedSectionInPlace() {
    byte[] valid = SampleArtifacts.x86File();
    byte[] old = valid.clone();
    old[old.length - ArtifactSeal.SIZE] = 0; // a file without the trailer: format 1, or cut short
    assertTrue(assertThrows(CorruptArtifactException.class, () -> CwasmFile.open(MemorySegment.ofArray(old)))
        .getMessage().startsWith(".kiln.seal: the file does not end with a seal"));
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(valid));
    byte[] badCount = valid.clone();
    long funcs = file.fileOffset(KilnSection.FUNCS);
    badCount[(int) funcs + 4] = 9; // run count
    ArtifactSeal.seal(badCount);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
        () -> CwasmFile.open(MemorySegment.ofArray(badCount)));
    assertEquals(".kiln.funcs", e.section());
    assertEquals(OptionalLong.of(funcs), e.fileOffset());
    assertTrue(e.getMessage().startsWith(".kiln.funcs at file offset 0x" + Long.toHexString(funcs) + ": size is"),
        e.getMessage());
  }

  @Test
  void sectionsMustBeWhereTheWriterPutsThem() {
    byte[] valid = SampleArtifacts.x86File();
    ByteBuffer le = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN);
    long sectionHeaders = le.getLong(0x28);
    // Section 9 is .kiln.data (index 0 is the null section): point it 8 bytes further on.
    int dataOffsetField = (int) sectionHeaders + 9 * 64 + 0x18;
    byte[] moved = valid.clone();
    ByteBuffer.wrap(moved).order(ByteOrder.LITTLE_ENDIAN).putLong(dataOffsetField, le.getLong(dataOffsetField) + 8);
    ArtifactSeal.seal(moved);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
        () -> CwasmFile.open(MemorySegment.ofArray(moved)));
    assertEquals(OptionalLong.of(dataOffsetField), e.fileOffset());
    assertTrue(e.getMessage().contains(".kiln.data is at file offset"), e.getMessage());
  }

  @Test
  void randomDamageOnlyRaisesArtifactExceptions() {
    byte[] valid = SampleArtifacts.x86File();
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(valid));
    int textStart = (int) file.fileOffset(KilnSection.TEXT);
    int metadataEnd = (int) (file.fileOffset(KilnSection.DATA) + SampleArtifacts.DATA.length);
    int textEnd = textStart + (int) file.text().byteSize();
    // Flip bytes where structure lives (headers and tables; symbol tables and section headers),
    // not in the zero padding before .text where most flips would change nothing.
    // Resealed after the damage, or the seal would stop every flip before the structure is read.
    var reader = CorruptionProbe.resealed(CwasmFileTest::openAndUseEverything);
    int rejectedHead = CorruptionProbe.randomFlips(valid, 21, 20_000, 0, metadataEnd, reader);
    int rejectedTail = CorruptionProbe.randomFlips(valid, 22, 20_000, textEnd, valid.length - ArtifactSeal.SIZE,
        reader);
    assertTrue(rejectedHead > 10_000, "rejected " + rejectedHead);
    assertTrue(rejectedTail > 1_000, "rejected " + rejectedTail);
  }

  private static void openAndUseEverything(MemorySegment segment) {
    CwasmFile file = CwasmFile.open(segment);
    for (FunctionIndex.Entry e : file.functions()) {
      assertEquals(Optional.of(e.range()), file.functions().lookup(e.key()));
      assertEquals(Optional.of(e.key()), file.functions().keyAt(e.range().start()));
      file.text().asSlice(e.range().start(), e.range().length());
    }
    file.traps().forEach((offset, code) -> file.text().get(ValueLayout.JAVA_BYTE, offset));
    file.addressMap().forEach((offset, wasm) -> file.text().get(ValueLayout.JAVA_BYTE, offset));
    file.inlineMap().forEach((offset, site) -> file.text().get(ValueLayout.JAVA_BYTE, offset));
    for (KilnSection section : KilnSection.values()) {
      file.section(section).byteSize();
    }
  }
}
