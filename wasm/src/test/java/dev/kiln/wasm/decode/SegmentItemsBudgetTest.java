package dev.kiln.wasm.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.Features;
import dev.kiln.wat.binary.WasmWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The items of one element segment are polled by the decoder (red team 4, finding F2): the section
 * polls once per segment, and one segment may hold as many items as the file has bytes, so a
 * 100 MB segment ran 25 s past a 2 s budget. The segment is decoded alone here, under a budget that
 * is already spent: without the per-item poll it decodes to the end.
 */
class SegmentItemsBudgetTest {
  private static final int ITEMS = 4 * CompileDeadline.POLL_INTERVAL;

  @Test
  void oneSegmentOfFunctionIndicesStopsInsideItsItems() {
    // flags 1: passive, element kind 0x00 (funcref), then the items: function 0 each
    assertStoppedInDecode(segment(new byte[] {1, 0}, new byte[] {0}));
  }

  @Test
  void oneSegmentOfExpressionsStopsInsideItsItems() {
    // flags 5: passive with expressions, type funcref, then the items: (ref.func 0) each
    assertStoppedInDecode(segment(new byte[] {5, 0x70}, new byte[] {(byte) 0xD2, 0, 0x0B}));
  }

  private static void assertStoppedInDecode(byte[] segment) {
    ByteCursor in = new ByteCursor(segment, 0, segment.length);
    InstructionScanner scanner = new InstructionScanner(Features.STANDARD);
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> SegmentDecoder.element(in, scanner)));
    assertEquals(Phase.DECODE, e.phase());
  }

  private static byte[] segment(byte[] head, byte[] item) {
    WasmWriter out = new WasmWriter().bytes(head).u32(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      out.bytes(item);
    }
    return out.toByteArray();
  }
}
