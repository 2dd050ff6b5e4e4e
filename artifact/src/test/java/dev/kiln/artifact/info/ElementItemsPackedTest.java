package dev.kiln.artifact.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.wasm.module.PackedInts;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module information keeps an element segment's function indices packed, four bytes an item, as
 * the wasm decoder does (red team 4 F2: a segment may hold as many items as its file has bytes; boxed,
 * each item cost an {@code Integer} and a reference, over 20 bytes). The compiler hands the decoder's
 * packed list over without a copy, and a child JVM with a small fixed heap reads back the info of
 * eight segments of a million items each (boxed, they ran it out of heap).
 */
class ElementItemsPackedTest {
  private static final int FUNCTIONS = 1024;
  /** Items a segment, the most an artifact's segment may hold ({@code VmShape.MAX_COUNT}). */
  private static final int ITEMS = 1 << 20;
  private static final int SEGMENTS = 8;
  private static final String HEAP = "-Xmx96m";

  private static ModuleInfo info(List<Integer> items, int segments) {
    List<Integer> types = new ArrayList<>();
    List<Integer> escaping = new ArrayList<>();
    for (int f = 0; f < FUNCTIONS; f++) {
      types.add(0);
      escaping.add(f);
    }
    return new ModuleInfo(List.of(new FuncType(List.of(), List.of())), List.of(), types, List.of(), List.of(),
        List.of(), List.of(), OptionalInt.empty(),
        java.util.Collections.nCopies(segments, new ElementSegment(SegmentMode.PASSIVE, 0, Optional.empty(),
            ValType.FUNCREF, new ElementItems.Functions(items))),
        List.of(), escaping, Map.of());
  }

  @Test
  void thePackedItemsOfTheDecoderAreKeptWithoutACopy() {
    PackedInts.Builder b = new PackedInts.Builder(3);
    b.add(7);
    b.add(300);
    b.add(7);
    PackedInts packed = b.build();
    ElementItems.Functions items = new ElementItems.Functions(packed);
    assertSame(packed, items.indices());
    assertEquals(300, items.function(1));
  }

  /** The child: decodes the info in file {@code args[0]} and prints the segment's size. */
  public static final class Main {
    public static void main(String[] args) throws IOException {
      try (Arena arena = Arena.ofConfined(); FileChannel file = FileChannel.open(Path.of(args[0]))) {
        MemorySegment bytes = file.map(FileChannel.MapMode.READ_ONLY, 0, file.size(), arena);
        long items = 0;
        for (ElementSegment segment : ModuleInfoDecoder.decode(bytes, 0).elements()) {
          items += segment.items().size();
        }
        System.out.print(items);
      }
    }
  }

  @Test
  void aLongSegmentIsDecodedInFourBytesAnItem(@TempDir Path dir) throws IOException, InterruptedException {
    // function indices past the Integer cache (128 and up), so that each boxed item would be an object
    PackedInts.Builder b = new PackedInts.Builder(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      b.add(128 + i % (FUNCTIONS - 128));
    }
    Path info = dir.resolve("info");
    Files.write(info, ModuleInfoEncoder.encode(info(b.build(), SEGMENTS)));
    // the file is mapped, outside the heap: the heap holds the decoded info, 32 MB packed and about
    // 190 MB boxed (an Integer and a reference an item, then the list's copy)
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), info.toString());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, child.waitFor(), output);
    assertEquals(String.valueOf((long) ITEMS * SEGMENTS), output);
  }
}
