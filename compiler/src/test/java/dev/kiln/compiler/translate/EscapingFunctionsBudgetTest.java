package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Collecting the escaping functions, part of the compile's module-level work, polls the budget
 * inside one element segment's items (red team 4, finding F2: one segment may hold as many items as
 * the file has bytes). The module has no export and no global, so the items are the only loop.
 */
class EscapingFunctionsBudgetTest {
  @Test
  void theItemsOfOneSegmentArePolled() {
    int items = 4 * CompileDeadline.POLL_INTERVAL;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    out.writeBytes(new byte[] {1, 4, 1, 0x60, 0, 0}); // type section: () -> ()
    out.writeBytes(new byte[] {3, 2, 1, 0}); // function section: one function of type 0
    // element section: one passive segment (flags 1, element kind funcref) of `items` times function 0
    out.writeBytes(new byte[] {9, (byte) 0x85, 0x20, 1, 1, 0, (byte) 0x80, 0x20});
    out.writeBytes(new byte[items]);
    out.writeBytes(new byte[] {10, 4, 1, 2, 0, 0x0B}); // code section: one empty body
    Module module = Wasm.load(out.toByteArray());
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> EscapingFunctions.of(module)));
    assertEquals(Phase.FUNCTIONS, e.phase());
  }
}
