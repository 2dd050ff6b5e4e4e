package dev.kiln.compiler.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.regalloc.MoveCounts;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linker over spilled functions: it links them from what is held of each, reading none back,
 * except to check the calls of an AArch64 text larger than {@code BL}'s reach, the one link error a
 * module can cause, before anything is written.
 */
class SpilledLinkTest {
  private static final FuncKey F0 = FuncKey.definedWasmFunction(0, 0);
  private static final FuncKey F1 = FuncKey.definedWasmFunction(0, 1);
  private static final FuncKey F2 = FuncKey.definedWasmFunction(0, 2);
  /** AArch64 {@code RET} (Arm ARM C6.2.254). */
  private static final byte[] RET = {(byte) 0xC0, 0x03, 0x5F, (byte) 0xD6};

  @TempDir
  Path directory;

  private static CompiledFunction x86CallThenRet(FuncKey target) {
    return new CompiledFunction(new byte[] {(byte) 0xE8, 0, 0, 0, 0, (byte) 0xC3},
        List.of(new Reloc(1, RelocKind.X86_CALL_PC_REL4, target.raw(), -4)), List.of(), List.of());
  }

  /** {@code BL target} (addend {@code addend}), then {@code RET}. */
  private static CompiledFunction armCallThenRet(FuncKey target, long addend) {
    return new CompiledFunction(new byte[] {0, 0, 0, (byte) 0x94, (byte) 0xC0, 0x03, 0x5F, (byte) 0xD6},
        List.of(new Reloc(0, RelocKind.AARCH64_CALL26, target.raw(), addend)), List.of(), List.of());
  }

  private static CompiledFunction armRet() {
    return new CompiledFunction(RET, List.of(), List.of(), List.of());
  }

  @Test
  void theLinkReadsNoSpilledFunctionBack() {
    FunctionSpill spill = FunctionSpill.open(directory);
    TreeMap<FuncKey, CompiledFunctions.Held> held = new TreeMap<>();
    held.put(F0, spill.keep(x86CallThenRet(F1)));
    held.put(F1, spill.keep(x86CallThenRet(F1)));
    held.put(F2, spill.keep(x86CallThenRet(F0)));
    spill.close(); // from here every read back fails
    LinkedText linked = new Linker(Target.X86_64).link(new CompiledFunctions(held, Optional.of(spill)), List.of(F0),
        FuncKey::toString);
    assertEquals(List.of(F0, F1), linked.functions().stream().map(PlacedFunction::key).toList());
    assertEquals(List.of(F2), linked.dropped());
    assertThrows(UncheckedIOException.class, linked::text); // the text is where they are read
  }

  @Test
  void anAarch64TextBeyondBlsReachHasItsCallsCheckedAtTheLink() {
    try (FunctionSpill spill = FunctionSpill.open(directory)) {
      FunctionSpill.Spilled ret = (FunctionSpill.Spilled) spill.keep(armRet());
      TreeMap<FuncKey, CompiledFunctions.Held> held = new TreeMap<>();
      held.put(F0, spill.keep(armCallThenRet(F2, 0)));
      // Held as 128 MiB of code (read back, it is the four-byte RET): F2 lands beyond F0's BL.
      held.put(F1, new FunctionSpill.Spilled(ret.position(), ret.length(), 1 << 27, MoveCounts.NONE,
          FunctionSpill.Spilled.packCallees(new long[0])));
      held.put(F2, ret);
      LinkException e = assertThrows(LinkException.class, () -> new Linker(Target.AARCH64)
          .link(new CompiledFunctions(held, Optional.of(spill)), List.of(F0, F1), FuncKey::toString));
      assertTrue(e.getMessage().contains("veneers are not implemented yet"), e.getMessage());
    }
  }

  @Test
  void withinBlsReachACallThatCannotReachIsFoundWhereTheTextIsWritten() {
    TreeMap<FuncKey, CompiledFunction> functions = new TreeMap<>();
    functions.put(F0, armCallThenRet(F1, 1L << 28)); // a compiler's bug: no module makes this addend
    functions.put(F1, armRet());
    LinkedText linked = new Linker(Target.AARCH64).link(functions, List.of(F0), FuncKey::toString);
    LinkException e = assertThrows(LinkException.class, linked::text);
    assertTrue(e.getMessage().contains("BL displacement"), e.getMessage());
  }

  @Test
  void aRelocationToAFunctionTheCalleeKeysLeftOutIsRefusedNotPatched() {
    try (FunctionSpill spill = FunctionSpill.open(directory)) {
      FunctionSpill.Spilled caller = (FunctionSpill.Spilled) spill.keep(x86CallThenRet(F1));
      TreeMap<FuncKey, CompiledFunctions.Held> held = new TreeMap<>();
      // Kept without its callee: the walk drops F1, which the relocation still names.
      held.put(F0, new FunctionSpill.Spilled(caller.position(), caller.length(), caller.codeSize(), MoveCounts.NONE,
          FunctionSpill.Spilled.packCallees(new long[0])));
      held.put(F1, spill.keep(x86CallThenRet(F0)));
      LinkedText linked = new Linker(Target.X86_64).link(new CompiledFunctions(held, Optional.of(spill)), List.of(F0),
          FuncKey::toString);
      LinkException e = assertThrows(LinkException.class, linked::text);
      assertTrue(e.getMessage().contains("a function the link did not keep"), e.getMessage());
    }
  }

  @Test
  void calleeKeysPackedInTheSpillReadBackAsKept() {
    long[] keys = {Long.MIN_VALUE, -5, 0, 1, 2, 300, 1L << 40, Long.MAX_VALUE};
    FunctionSpill.Spilled place = new FunctionSpill.Spilled(0, 0, 1, MoveCounts.NONE,
        FunctionSpill.Spilled.packCallees(keys));
    assertEquals(List.of(Long.MIN_VALUE, -5L, 0L, 1L, 2L, 300L, 1L << 40, Long.MAX_VALUE),
        Arrays.stream(place.calleeKeys()).boxed().toList());
    assertEquals(0, new FunctionSpill.Spilled(0, 0, 1, MoveCounts.NONE,
        FunctionSpill.Spilled.packCallees(new long[0])).calleeKeys().length);
  }
}
