package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

/**
 * A body without reference locals gets its (empty) reference liveness without a walk of its
 * instructions: one shared answer, nothing spilled at any safepoint, nothing frame-resident. A body
 * with one is walked as before.
 */
class ReferenceLivenessShortcutTest {
  private static final String MODULE = """
      (module
        (func $g (param i64) (result i64) (local.get 0))
        (func (param $n i64) (result i64) (local $x i64)
          (local.set $x (call $g (local.get $n)))
          (loop $l (local.set $x (call $g (local.get $x))) (br_if $l (i64.eqz (local.get $x))))
          (local.get $x)))
      """;

  @Test
  void aBodyWithoutReferenceLocalsIsNotWalked() {
    Module module = Wasm.load(Wat.toBinary(MODULE, "liveness.wat"));
    FunctionBody g = module.code().get(0);
    FunctionBody f = module.code().get(1);
    ReferenceLiveness none = ReferenceLiveness.of(f, new boolean[2]);
    assertSame(none, ReferenceLiveness.of(g, new boolean[1]), "one shared answer, no walk");
    // Any safepoint offset, asked or not: nothing to spill.
    for (int offset = f.codeStart(); offset < f.codeEnd(); offset++) {
      assertArrayEquals(new int[0], none.referenceLocalsLiveAfter(offset));
    }
    assertArrayEquals(new int[0], none.frameResidentLocals());
    assertNotSame(none, ReferenceLiveness.of(f, new boolean[] {false, true}), "a reference local: walked");
  }
}
