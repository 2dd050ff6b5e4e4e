package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
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
    // element section: one passive segment (flags 1, element kind funcref) of `items` times function 0
    WasmWriter elements = new WasmWriter().raw(1, 1, 0).u32(items).bytes(new byte[items]);
    Module module = Wasm.load(new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().raw(0x60, 0, 0)) // () -> ()
        .vectorSection(ModuleWriter.FUNCTION, 1, new WasmWriter().u8(0)) // one function of type 0
        .section(ModuleWriter.ELEMENT, elements)
        .vectorSection(ModuleWriter.CODE, 1, new WasmWriter().raw(2, 0, 0x0B)) // one empty body
        .toByteArray());
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> EscapingFunctions.of(module)));
    assertEquals(Phase.FUNCTIONS, e.phase());
  }
}
