package dev.kiln.wasm.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.ElementSegment;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One element segment as long as its module (one byte an item, the attacker's cheapest way to make
 * the decoder hold many items) fits in a heap a few times the module's size (red team 4 F2, issue 35:
 * boxed, the items took about ten bytes of heap per byte of input). A child JVM with a small fixed
 * heap decodes a 24 MB module of one such segment: boxed items ran it out of heap; packed ones (four
 * bytes an item) leave room.
 */
class ElementItemsHeapTest {
  private static final int ITEMS = 24_000_000;
  private static final String HEAP = "-Xmx160m";

  /** The child: decodes the module and prints the segment's size. */
  public static final class Main {
    public static void main(String[] args) {
      var module = Wasm.decode(module(ITEMS));
      System.out.print(module.elements().getFirst().items().size());
    }
  }

  /** One type, one function, a passive segment of {@code items} references to function 0, the body. */
  static byte[] module(int items) {
    // one segment: passive (flags 1), element kind 0, then function 0, items times
    WasmWriter elements = new WasmWriter().raw(1, 1, 0).u32(items).bytes(new byte[items]);
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().raw(0x60, 0, 0)) // () -> ()
        .vectorSection(ModuleWriter.FUNCTION, 1, new WasmWriter().u8(0))
        .section(ModuleWriter.ELEMENT, elements)
        .vectorSection(ModuleWriter.CODE, 1, new WasmWriter().raw(2, 0, 0x0B)) // an empty body
        .toByteArray();
  }

  @Test
  void aSegmentAsLongAsItsModuleIsHeldInFourBytesAnItem() throws IOException, InterruptedException {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
        "-cp", System.getProperty("java.class.path"), Main.class.getName());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, child.waitFor(), output);
    assertEquals(String.valueOf(ITEMS), output);
  }

  @Test
  void packedItemsReadAsTheListTheyWere() {
    var items = Wasm.decode(module(3)).elements().getFirst().items();
    assertEquals(new ElementSegment.FunctionIndices(List.of(0, 0, 0)), items);
  }
}
