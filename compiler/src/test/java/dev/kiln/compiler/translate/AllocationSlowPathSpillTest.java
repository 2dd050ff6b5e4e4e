package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

/**
 * The spills of an allocation's safepoint (GcObjects, GcSafepoints) belong to its slow path: the
 * inline bump allocation calls nothing, so no collection can move anything there, and the frame's
 * references must not go through stack slots on it. The functions below call nothing but the
 * allocation's slow path, so every stack slot address they compute must be in a block that calls.
 */
class AllocationSlowPathSpillTest {
  /**
   * References in a local, on the operand stack below an allocation and among a {@code struct.new}'s
   * and an {@code array.new}'s own operands; nothing here calls but the allocations' slow paths.
   */
  private static final String MODULE = """
      (module
        (type $box (struct (field $v i64)))
        (type $pair (struct (field $a (ref null $box)) (field $b (ref null $box))))
        (type $boxes (array (mut (ref null $box))))
        (func (export "f") (param $n i64) (result i64)
          (local $l (ref null $box)) (local $p (ref null $pair)) (local $a (ref null $boxes))
          (local.set $l (struct.new $box (local.get $n)))
          (local.set $p (struct.new $pair (local.get $l) (struct.new $box (i64.const 2))))
          (local.set $a (array.new $boxes (struct.get $pair $b (local.get $p)) (i32.const 3)))
          (i64.add (struct.get $box $v (local.get $l))
            (struct.get $box $v (array.get $boxes (local.get $a) (i32.const 2))))))
      """;

  @Test
  void theFastPathStoresAndLoadsNoSlot() {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(Wat.toBinary(MODULE, "slots.wat")));
    Function f = FuncTranslator.translate(env, 0);
    Verifier.check(f);
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    int slotBlocks = 0;
    for (int block : layout.blocks()) {
      boolean slots = false;
      boolean calls = false;
      for (int inst : layout.blockInsts(block)) {
        Opcode op = dfg.opcode(inst);
        slots |= op == Opcode.STACK_ADDR;
        calls |= op == Opcode.CALL || op == Opcode.CALL_INDIRECT;
      }
      if (slots) {
        slotBlocks++;
        assertTrue(calls, "block " + block + " addresses a stack slot but calls nothing:\n" + f);
      }
    }
    // the first allocation holds nothing across its slow path ($l is written by its result, $p and
    // $a before they are read: ReferenceLiveness); the second spills $l and its stack entry, the
    // third $l and its operands, the fourth $l and its operand: three slow paths, nothing elsewhere
    assertEquals(3, slotBlocks, "the slow paths that spill:\n" + f);
  }
}
