package dev.kiln.wasm.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.ElementSegment;
import java.io.ByteArrayOutputStream;
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
    ByteArrayOutputStream out = new ByteArrayOutputStream(items + 64);
    out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    out.writeBytes(new byte[] {1, 4, 1, 0x60, 0, 0}); // type section: () -> ()
    out.writeBytes(new byte[] {3, 2, 1, 0}); // function section
    ByteArrayOutputStream elem = new ByteArrayOutputStream(items + 16);
    elem.writeBytes(new byte[] {1, 1, 0}); // one segment: passive (flags 1), element kind 0
    uleb(elem, items);
    elem.writeBytes(new byte[items]); // function 0, items times
    out.write(9);
    uleb(out, elem.size());
    out.writeBytes(elem.toByteArray());
    out.writeBytes(new byte[] {10, 4, 1, 2, 0, 0x0B}); // code section: an empty body
    return out.toByteArray();
  }

  private static void uleb(ByteArrayOutputStream out, int value) {
    int v = value;
    while (v >>> 7 != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
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
