package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which funcref tables keep what instantiation put in them, and what each of their slots holds:
 * segments in order, types by signature, and every way a table can change or be shared taking it
 * out (a write by code to it as destination, an export, an import, an offset or item that is not a
 * constant, a segment that does not fit, a segment after one that may trap).
 */
class FixedTablesTest {
  private static FixedTables tables(String wat) {
    return FixedTables.of(Wasm.load(Wat.toBinary(wat, "test.wat")));
  }

  private static final String FUNCTIONS = """
        (type $ii (func (param i32) (result i32)))
        (type $ii_again (func (param i32) (result i32)))
        (type $v (func))
        (func $a (type $ii) (local.get 0))
        (func $b (type $ii_again) (local.get 0))
        (func $c (type $v))
      """;

  @Test
  void laterSegmentsOverwriteEarlierOnesAndTypesMatchBySignature() {
    FixedTables t = tables("(module " + FUNCTIONS + """
          (table 6 funcref)
          (elem (i32.const 0) func $a $a $c $b)
          (elem (i32.const 1) func $b)
          (elem (i32.const 5) func $a))
        """);
    FixedTables.Candidates ii = t.candidates(0, 0).orElseThrow();
    assertArrayEquals(new long[] {0, 1, 3, 5}, ii.slots());
    assertArrayEquals(new int[] {0, 1, 1, 0}, ii.functions());
    assertTrue(ii.exhaustive());
    assertArrayEquals(ii.slots(), t.candidates(0, 1).orElseThrow().slots(), "the same signature");
    assertArrayEquals(new long[] {2}, t.candidates(0, 2).orElseThrow().slots());
  }

  @Test
  void aWriteByCodeTakesOutTheDestinationTableOnly() {
    for (String write : new String[] {
        "(table.set $t (i32.const 0) (ref.null func))",
        "(table.fill $t (i32.const 0) (ref.null func) (i32.const 1))",
        "(drop (table.grow $t (ref.null func) (i32.const 1)))",
        "(table.copy $t $other (i32.const 0) (i32.const 0) (i32.const 1))",
        "(table.init $t $passive (i32.const 0) (i32.const 0) (i32.const 1))"}) {
      FixedTables t = tables("(module " + FUNCTIONS + """
            (table $t 2 funcref)
            (table $other 2 funcref)
            (elem (table $t) (i32.const 0) func $a)
            (elem (table $other) (i32.const 0) func $b)
            (elem $passive func $a)
            (func %s))
          """.formatted(write));
      assertEquals(Optional.empty(), t.candidates(0, 0), write);
      assertArrayEquals(new long[] {0}, t.candidates(1, 0).orElseThrow().slots(), write + ": the other table");
    }
  }

  @Test
  void exportedImportedAndUnplaceableTablesAreNotFixed() {
    FixedTables t = tables("(module (import \"env\" \"t\" (table 2 funcref)) (import \"env\" \"g\" (global i32))"
        + FUNCTIONS + """
          (elem (table 0) (i32.const 0) func $a)
          (table (export "t") 2 funcref)
          (elem (table 1) (i32.const 0) func $a)
          (table 2 funcref)
          (elem (table 3) (i32.const 1) func $a)
          (table 2 funcref)
          (elem (table 2) (global.get 0) func $a))
        """);
    assertEquals(Optional.empty(), t.candidates(0, 0), "imported");
    assertEquals(Optional.empty(), t.candidates(1, 0), "exported");
    assertEquals(Optional.empty(), t.candidates(2, 0), "offset from a global");
    assertArrayEquals(new long[] {1}, t.candidates(3, 0).orElseThrow().slots());
    assertArrayEquals(new long[0], t.candidates(3, 2).orElseThrow().slots(), "no slot of that type");
  }

  /**
   * Instantiation stops at a segment that traps (a constant one past its table's end, or one whose
   * offset is not known): no table whose segments come after it is fixed, whichever table the
   * failing one writes. A segment into an imported table fits within the import's minimum.
   */
  @Test
  void noTableIsFixedWhoseSegmentsFollowOneThatMayTrap() {
    for (String maybeTrapping : new String[] {
        "(elem (table $imported) (i32.const 2) func $a)",
        "(elem (table $imported) (global.get $g) func $a)",
        "(elem (table $other) (i32.const 1) func $a $a)"}) {
      FixedTables t = tables("(module (import \"env\" \"t\" (table $imported 2 funcref))"
          + " (import \"env\" \"g\" (global $g i32))" + FUNCTIONS + """
            (table $before 2 funcref)
            (table $other 2 funcref)
            (table $after 2 funcref)
            (elem (table $imported) (i32.const 1) func $b)
            (elem (table $before) (i32.const 0) func $a)
            %s
            (elem (table $after) (i32.const 0) func $a))
          """.formatted(maybeTrapping));
      assertArrayEquals(new long[] {0}, t.candidates(1, 0).orElseThrow().slots(), maybeTrapping + ": before it");
      assertEquals(Optional.empty(), t.candidates(3, 0), maybeTrapping + ": after it");
    }
  }

  /**
   * An item {@code global.get} of an imported funcref (which wat2wasm 1.0.32 does not accept, so
   * the module is written in bytes): its slot is unknown, so the candidates are not exhaustive, and
   * the known slot around it still is a candidate.
   */
  @Test
  void aSlotFromAnImportedGlobalIsUnknown() {
    byte[] m = new ModuleWriter()
        .section(ModuleWriter.TYPE, new WasmWriter().raw(1, 0x60, 1, 0x7f, 1, 0x7f))         // type 0: (i32) -> i32
        .section(ModuleWriter.IMPORT, new WasmWriter().raw(1, 1, 'e', 1, 'g', 0x03, 0x70, 0x00)) // import global funcref
        .section(ModuleWriter.FUNCTION, new WasmWriter().raw(1, 0))                          // function 0: type 0
        .section(ModuleWriter.TABLE, new WasmWriter().raw(1, 0x70, 0x00, 3))                 // table: 3 funcref
        .section(ModuleWriter.ELEMENT, new WasmWriter().raw(1, 0x04, 0x41, 0, 0x0b, 3,       // active, expressions, at 0:
            0xd2, 0, 0x0b, 0x23, 0, 0x0b, 0xd0, 0x70, 0x0b))                               // ref.func 0, global.get 0, null
        .section(ModuleWriter.CODE, new WasmWriter().raw(1, 4, 0, 0x20, 0, 0x0b))            // (local.get 0)
        .toByteArray();
    Module module = Wasm.load(m);
    FixedTables.Candidates c = FixedTables.of(module).candidates(0, 0).orElseThrow();
    assertArrayEquals(new long[] {0}, c.slots());
    assertFalse(c.exhaustive());
  }
}
