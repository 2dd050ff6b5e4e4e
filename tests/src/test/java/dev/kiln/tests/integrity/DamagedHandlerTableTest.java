package dev.kiln.tests.integrity;

import static dev.kiln.tests.support.KilnCommand.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.TextRange;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.Executors;
import dev.kiln.tests.support.KilnCommand;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@code .kiln.handlers} damaged field by field and resealed, as whoever writes such a file would:
 * each is refused when the artifact loads, in one line naming the section and the entry, before any
 * code runs. Before, the table was read only when an exception unwound through it, so the damaged
 * artifact loaded and ran, and the damage showed (if at all) as an uncaught exception or a frame
 * resumed at the wrong depth. Each run calls {@code f(0)}, which throws nothing: the refusal must not
 * depend on an exception ever unwinding.
 */
class DamagedHandlerTableTest {
  /**
   * Two calls inside one try_table of {@code f}, so its handler table has one block of two entries
   * in one function: (return offset in the index) (landing, depth) (distance, landing, depth).
   */
  private static final String MODULE = """
      (module
        (tag $e (param i32))
        (func $thrower (param i32) (result i32)
          (if (local.get 0) (then (throw $e (i32.const 7))))
          (i32.const 1))
        (func (export "f") (param i32) (result i32)
          (block $caught (result i32)
            (try_table (result i32) (catch $e $caught)
              (drop (call $thrower (local.get 0)))
              (call $thrower (local.get 0))))))
      """;

  @TempDir Path dir;


  /** Where each field of the two entries sits in the file, and the functions' text ranges. */
  private record Layout(int blockCount, int firstReturn, int blockEnd, int landing1,
      int depth1, int distance2, int landing2, int depth2, int depth2Length, TextRange f) {}

  private static Layout layout(Path artifact) throws IOException {
    byte[] bytes = Files.readAllBytes(artifact);
    try (Arena arena = Arena.ofConfined()) {
      CwasmFile file = CwasmFile.read(artifact, arena);
      int at = (int) file.fileOffset(KilnSection.HANDLERS);
      ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(1, le.getInt(at), "one block: f's two entries");
      int data = at + 12;
      int[] cursor = {data};
      int landing1 = cursor[0];
      leb(bytes, cursor);
      int depth1 = cursor[0];
      leb(bytes, cursor);
      int distance2 = cursor[0];
      leb(bytes, cursor);
      int landing2 = cursor[0];
      leb(bytes, cursor);
      int depth2 = cursor[0];
      leb(bytes, cursor);
      assertEquals(le.getInt(at + 8), cursor[0] - data, "exactly two entries in the block");
      TextRange f = file.functions().lookup(FuncKey.definedWasmFunction(0, 1)).orElseThrow();
      return new Layout(at, at + 4, at + 8, landing1, depth1, distance2, landing2, depth2,
          cursor[0] - depth2, f);
    }
  }

  /** Skips one LEB128 at {@code cursor[0]}, returning its value. */
  private static long leb(byte[] bytes, int[] cursor) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      int b = bytes[cursor[0]++] & 0xFF;
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
  }

  /** Writes {@code value} as a LEB128 of exactly {@code length} bytes (padded; the reader takes it). */
  private static void putLeb(byte[] bytes, int at, int length, long value) {
    assertTrue(value >= 0 && value < 1L << (7 * length), value + " in " + length + " bytes");
    for (int i = 0; i < length; i++) {
      bytes[at + i] = (byte) ((value >>> (7 * i)) & 0x7F | (i + 1 < length ? 0x80 : 0));
    }
  }

  private static long unzigzag(long raw) {
    return (raw >>> 1) ^ -(raw & 1);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyDamagedFieldIsRefusedAtLoad(Target target) throws IOException {
    assumeTrue(Executors.canRun(target), target + " code cannot run here");
    Path wat = Files.writeString(dir.resolve("m.wat"), MODULE);
    Path real = dir.resolve("real.cwasm");
    KilnCommand compiled = kiln("compile", wat.toString(), "-o", real.toString(), "--no-inline",
        "--target", target.name().toLowerCase(Locale.ROOT));
    assertEquals(0, compiled.exit(), compiled.err());
    KilnCommand good = kiln("run", real.toString(), "--invoke", "f", "1");
    assertEquals(0, good.exit(), good.err());
    assertEquals("7", good.out().strip(), "the undamaged artifact catches the throw");
    Layout l = layout(real);

    Map<String, Consumer<byte[]>> damages = new LinkedHashMap<>();
    damages.put("block count", b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(l.blockCount(), 2));
    damages.put("first return offset at its function's start",
        b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(l.firstReturn(), l.f().start()));
    damages.put("block end", b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(l.blockEnd(), ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(l.blockEnd()) - 1));
    // The landing pad is stored as a distance from its call's return address, so moving the return
    // address moves the pad: put it at the next function's first byte (f's range ends there), and
    // inside that function, with the return address still inside f.
    int[] landingField = {l.landing1()};
    long landingDistance = unzigzag(leb(Files.readAllBytes(real), landingField));
    assertTrue(landingDistance > 1, "f's pad follows its first call");
    damages.put("landing pad at the next function's first byte", b -> ByteBuffer.wrap(b)
        .order(ByteOrder.LITTLE_ENDIAN).putInt(l.firstReturn(), (int) (l.f().end() - landingDistance)));
    damages.put("landing pad inside the next function", b -> ByteBuffer.wrap(b)
        .order(ByteOrder.LITTLE_ENDIAN).putInt(l.firstReturn(), (int) (l.f().end() + 1 - landingDistance)));
    damages.put("second entry's frame depth unlike the first's",
        b -> putLeb(b, l.depth2(), l.depth2Length(), (b[l.depth1()] & 0x7F) + 1));
    damages.put("second entry not after the first", b -> putLeb(b, l.distance2(), l.landing2() - l.distance2(), 0));

    for (Map.Entry<String, Consumer<byte[]>> damage : damages.entrySet()) {
      byte[] bytes = Files.readAllBytes(real);
      damage.getValue().accept(bytes);
      ArtifactSeal.seal(bytes);
      Path damaged = Files.write(dir.resolve("damaged.cwasm"), bytes);
      KilnCommand run = kiln("run", damaged.toString(), "--invoke", "f", "0");
      String what = damage.getKey() + ": " + run.out() + run.err();
      assertEquals(1, run.exit(), what);
      assertEquals(1, run.err().lines().count(), what);
      assertTrue(run.err().startsWith("error: " + damaged + ": .kiln.handlers at file offset "), what);
      assertFalse(run.err().contains("Exception"), what);
    }
  }
}
