package dev.kiln.compiler.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.CwasmWriter;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.index.FunctionIndex;
import dev.kiln.artifact.tables.AddressMap;
import dev.kiln.artifact.tables.InlineMap;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.StackMapSite;
import dev.kiln.codegen.TrapSite;
import dev.kiln.codegen.regalloc.MoveCounts;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.InlineSite;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LinkerTest {
  private static final FuncKey F0 = FuncKey.definedWasmFunction(0, 0);
  private static final FuncKey F1 = FuncKey.definedWasmFunction(0, 1);
  private static final FuncKey F2 = FuncKey.definedWasmFunction(0, 2);
  private static final FuncKey T1 = FuncKey.arrayToWasmTrampoline(0, 1);
  private static final FuncKey TRAP = FuncKey.wasmToBuiltinTrampoline(1);

  /** {@code call rel32} (E8 cd, Intel SDM Vol. 2A "CALL") to {@code target}, then {@code ret}. */
  private static CompiledFunction callThenRet(FuncKey target) {
    return new CompiledFunction(new byte[] {(byte) 0xE8, 0, 0, 0, 0, (byte) 0xC3},
        List.of(new Reloc(1, RelocKind.X86_CALL_PC_REL4, target.raw(), -4)), List.of(), List.of());
  }

  /** {@code n} one-byte {@code nop}s (0x90) and a {@code ret}. */
  private static CompiledFunction nops(int n) {
    byte[] code = new byte[n + 1];
    Arrays.fill(code, (byte) 0x90);
    code[n] = (byte) 0xC3;
    return new CompiledFunction(code, List.of(), List.of(), List.of());
  }

  private static LinkedText link(Map<FuncKey, CompiledFunction> functions, List<FuncKey> roots) {
    return new Linker(Target.X86_64).link(new TreeMap<>(functions), roots, FuncKey::toString);
  }

  private static int le32(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | b[at + 3] << 24;
  }

  /** A map that counts the lookups made in it by key. */
  @SuppressWarnings("serial") // never serialised
  private static final class CountedLookups extends TreeMap<FuncKey, CompiledFunction> {
    int lookups;

    CountedLookups(Map<FuncKey, CompiledFunction> functions) {
      super(functions);
    }

    @Override
    public CompiledFunction get(Object key) {
      lookups++;
      return super.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      lookups++;
      return super.containsKey(key);
    }
  }

  @Test
  void linkingReadsTheFunctionsInOnePassWithoutALookupPerRootCallOrFunction() {
    // A tree lookup per root, call and kept function was most of the link of a module of 400,000
    // functions; the linker now reads the map once, in order, and finds keys by position.
    CountedLookups functions = new CountedLookups(Map.of(F0, callThenRet(F1), F1, callThenRet(F2), F2, nops(1),
        T1, callThenRet(F1), TRAP, nops(1)));
    LinkedText linked = new Linker(Target.X86_64).link(functions, List.of(TRAP, T1, F0), FuncKey::toString);

    assertEquals(0, functions.lookups);
    assertEquals(List.of(F0, F1, F2, T1, TRAP), linked.functions().stream().map(PlacedFunction::key).toList());
  }

  @Test
  void theFirstMissingRootInKeyOrderIsReportedWhateverOrderTheRootsComeIn() {
    LinkException e = assertThrows(LinkException.class,
        () -> link(Map.of(F0, nops(1)), List.of(TRAP, F0, F2, F1)));
    assertEquals("root " + F1 + " has no compiled function", e.getMessage());
  }

  @Test
  void functionsAreLaidOutInFuncKeyOrderAt32ByteBoundariesPaddedWithInt3() {
    // Inserted in reverse; kinds mixed so key order differs from insertion order.
    Map<FuncKey, CompiledFunction> functions = new java.util.LinkedHashMap<>();
    functions.put(TRAP, nops(2));
    functions.put(T1, nops(20));
    functions.put(F1, nops(17));
    functions.put(F0, nops(5));
    LinkedText linked = link(functions, List.of(F0, F1, T1, TRAP));

    assertEquals(List.of(F0, F1, T1, TRAP), linked.functions().stream().map(PlacedFunction::key).toList());
    assertEquals(List.of(0, 32, 64, 96), linked.functions().stream().map(PlacedFunction::start).toList());
    assertEquals(List.of(6, 18, 21, 3), linked.functions().stream().map(PlacedFunction::size).toList());
    byte[] text = linked.text();
    assertEquals(99, text.length);
    for (int i = 6; i < 32; i++) {
      assertEquals((byte) 0xCC, text[i], "padding at " + i);
    }
    assertEquals((byte) 0xC3, text[32 + 17]);
  }

  @Test
  void callRelocationIsTargetPlusAddendMinusPlace() {
    // F0 at 0 calls F2; F1 (16 bytes of nops + ret = 17) sits between at 32, so F2 starts at 64.
    Map<FuncKey, CompiledFunction> functions = Map.of(F0, callThenRet(F2), F1, nops(16), F2, nops(31));
    LinkedText linked = link(functions, List.of(F0, F1));
    byte[] text = linked.text();
    assertEquals(64, linked.functions().get(2).start());
    // S + A - P = 64 + (-4) - 1 = 59: the distance from the end of the call instruction (5) to 64.
    assertEquals(59, le32(text, 1));
  }

  @Test
  void backwardCallGetsANegativeDisplacement() {
    Map<FuncKey, CompiledFunction> functions = Map.of(F0, nops(3), F1, callThenRet(F0));
    LinkedText linked = link(functions, List.of(F1));
    // F1 at 32, field at 33: 0 - 4 - 33 = -37.
    assertEquals(-37, le32(linked.text(), 33));
  }

  @Test
  void selfCallResolvesToTheFunctionsOwnStart() {
    LinkedText linked = link(Map.of(F0, callThenRet(F0)), List.of(F0));
    assertEquals(-5, le32(linked.text(), 1));
  }

  @Test
  void missingTargetIsAnErrorNamingBothKeys() {
    LinkException e = assertThrows(LinkException.class, () -> link(Map.of(F0, callThenRet(TRAP)), List.of(F0)));
    assertTrue(e.getMessage().contains("wasm[0]::function[0]"), e.getMessage());
    assertTrue(e.getMessage().contains("builtin[1]::wasm_to_builtin_trampoline"), e.getMessage());
  }

  @Test
  void ofSeveralMissingTargetsTheErrorNamesTheFirstCalled() {
    // F0 calls TRAP (missing), then F1 (missing, and lower in FuncKey order), then TRAP again.
    CompiledFunction calls = new CompiledFunction(new byte[] {(byte) 0xE8, 0, 0, 0, 0, (byte) 0xE8, 0, 0, 0, 0,
        (byte) 0xE8, 0, 0, 0, 0, (byte) 0xC3}, List.of(new Reloc(1, RelocKind.X86_CALL_PC_REL4, TRAP.raw(), -4),
        new Reloc(6, RelocKind.X86_CALL_PC_REL4, F1.raw(), -4), new Reloc(11, RelocKind.X86_CALL_PC_REL4, TRAP.raw(), -4)),
        List.of(), List.of());
    LinkException e = assertThrows(LinkException.class, () -> link(Map.of(F0, calls), List.of(F0)));
    assertTrue(e.getMessage().contains("builtin[1]::wasm_to_builtin_trampoline"), e.getMessage());
    assertFalse(e.getMessage().contains("function[1]"), e.getMessage());
  }

  @Test
  void missingRootIsAnError() {
    assertThrows(LinkException.class, () -> link(Map.of(F0, nops(1)), List.of(F1)));
  }

  private static final int NO_SITE = InlineMap.NONE;

  @Test
  void functionsNoRootReachesAreDroppedAndCalleesOfRootsKept() {
    // T1 (root) -> F1 -> TRAP; F0 and F2 are unreachable; F2's own missing callee does not matter.
    Map<FuncKey, CompiledFunction> functions = Map.of(
        F0, nops(4), F1, callThenRet(TRAP), F2, callThenRet(FuncKey.builtin(7)), T1, callThenRet(F1),
        TRAP, nops(1));
    LinkedText linked = link(functions, List.of(T1));
    assertEquals(List.of(F1, T1, TRAP), linked.functions().stream().map(PlacedFunction::key).toList());
    assertEquals(List.of(F0, F2), linked.dropped());
    assertEquals(0, linked.functions().getFirst().start());
  }

  @Test
  void trapSitesAndAddressMapAreRebasedToTextOffsets() {
    CompiledFunction f0 = new CompiledFunction(new byte[10], List.of(),
        List.of(new TrapSite(7, TrapCode.UNREACHABLE.code()), new TrapSite(2, TrapCode.INTEGER_DIVISION_BY_ZERO.code())),
        List.of(new SourceMapping(0, 0x20), new SourceMapping(4, 0x22), new SourceMapping(4, 0x23)));
    CompiledFunction f1 = new CompiledFunction(new byte[8], List.of(),
        List.of(new TrapSite(3, TrapCode.HEAP_OUT_OF_BOUNDS.code())), List.of(new SourceMapping(2, 0x30)));
    LinkedText linked = link(Map.of(F0, f0, F1, f1), List.of(F0, F1));
    assertEquals(List.of(new LinkedText.Trap(2, TrapCode.INTEGER_DIVISION_BY_ZERO), new LinkedText.Trap(7, TrapCode.UNREACHABLE),
        new LinkedText.Trap(35, TrapCode.HEAP_OUT_OF_BOUNDS)), linked.traps());
    // The later of two mappings at one offset wins; F1's code before its first mapping has no origin.
    assertEquals(List.of(new LinkedText.AddressMapping(0, 0x20, NO_SITE), new LinkedText.AddressMapping(4, 0x23, NO_SITE),
        new LinkedText.AddressMapping(32, AddressMap.NONE, NO_SITE), new LinkedText.AddressMapping(34, 0x30, NO_SITE)),
        linked.addressMap());
  }

  /** Each function's inline sites join the artifact's list after the earlier functions' ones. */
  @Test
  void inlineSitesAreRenumberedPerFunction() {
    ExternalName callee = new ExternalName.User(F2.namespace(), F2.index());
    CompiledFunction f0 = new CompiledFunction(new byte[8], List.of(), List.of(),
        List.of(new SourceMapping(0, 0x20), new SourceMapping(2, 0x60, 0)), MoveCounts.NONE,
        List.of(new InlineSite(callee, 0x22, InlineSite.NONE)));
    CompiledFunction f1 = new CompiledFunction(new byte[8], List.of(), List.of(),
        List.of(new SourceMapping(0, 0x30), new SourceMapping(2, 0x60, 0), new SourceMapping(4, 0x64, 1)),
        MoveCounts.NONE,
        List.of(new InlineSite(callee, 0x32, InlineSite.NONE), new InlineSite(callee, 0x62, 0)));
    LinkedText linked = link(Map.of(F0, f0, F1, f1), List.of(F0, F1));
    assertEquals(List.of(new LinkedText.InlinedCall(F2, 0x22, NO_SITE), new LinkedText.InlinedCall(F2, 0x32, NO_SITE),
        new LinkedText.InlinedCall(F2, 0x62, 1)), linked.inlineSites());
    assertEquals(List.of(new LinkedText.AddressMapping(0, 0x20, NO_SITE), new LinkedText.AddressMapping(2, 0x60, 0),
        new LinkedText.AddressMapping(32, 0x30, NO_SITE), new LinkedText.AddressMapping(34, 0x60, 1),
        new LinkedText.AddressMapping(36, 0x64, 2)), linked.addressMap());
  }

  /**
   * A function's resident slots reach {@code .kiln.stackmaps} once, as one set its every stack map
   * names, each map listing only its own slots; a function without them names none.
   */
  @Test
  void residentSlotsAreOneSetEachOfTheFunctionsStackMapsNames() {
    CompiledFunction resident = new CompiledFunction(new byte[16], List.of(), List.of(), List.of(), MoveCounts.NONE,
        List.of(), List.of(), List.of(new StackMapSite(4, 48, new int[0]), new StackMapSite(9, 48, new int[] {24})),
        new int[] {0, 8, 16});
    CompiledFunction plain = new CompiledFunction(new byte[8], List.of(), List.of(), List.of(), MoveCounts.NONE,
        List.of(), List.of(), List.of(new StackMapSite(5, 32, new int[] {0})), new int[0]);
    LinkedText linked = link(Map.of(F0, resident, F1, plain), List.of(F0, F1));
    CwasmWriter writer = linked.writeTo(new CwasmWriter(CompatHeader.current("test", Target.X86_64, Map.of())));
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(writer.moduleInfo(new byte[0]).toByteArray()));
    Map<Integer, String> maps = new TreeMap<>();
    file.stackMaps().forEach((offset, map) -> maps.put(offset, map.frameBelowFp() + " "
        + Arrays.toString(map.residentSlotOffsets()) + " " + Arrays.toString(map.ownSlotOffsets())));
    assertEquals(Map.of(4, "48 [0, 8, 16] []", 9, "48 [0, 8, 16] [24]", 37, "32 [] [0]"), maps);
    assertTrue(file.section(KilnSection.STACKMAPS).byteSize() < 48, "the set once: "
        + file.section(KilnSection.STACKMAPS).byteSize() + " bytes");
  }

  /** A resident slot outside a site's frame is refused where the compiled function is made. */
  @Test
  void aResidentSlotOutsideASitesFrameIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CompiledFunction(new byte[16], List.of(), List.of(),
        List.of(), MoveCounts.NONE, List.of(), List.of(), List.of(new StackMapSite(4, 16, new int[0])),
        new int[] {0, 16}));
  }

  /**
   * A function's tables are checked where they are read to be written, not read a second time by the
   * link before: the writer and the listing refuse a bad one.
   */
  @Test
  void anAddressMapEntryOfAMissingSiteIsRejectedWhereTheMapIsWritten() {
    CompiledFunction f = new CompiledFunction(new byte[4], List.of(), List.of(), List.of(new SourceMapping(0, 0x20, 0)));
    LinkedText linked = link(Map.of(F0, f), List.of(F0));
    assertThrows(LinkException.class,
        () -> linked.writeTo(new CwasmWriter(CompatHeader.current("test", Target.X86_64, Map.of()))));
    assertThrows(LinkException.class, linked::addressMap);
  }

  @Test
  void unknownTrapCodeIsRejectedWhereTheTrapTableIsWritten() {
    CompiledFunction f = new CompiledFunction(new byte[4], List.of(), List.of(new TrapSite(1, 200)), List.of());
    LinkedText linked = link(Map.of(F0, f), List.of(F0));
    assertThrows(LinkException.class,
        () -> linked.writeTo(new CwasmWriter(CompatHeader.current("test", Target.X86_64, Map.of()))));
    assertThrows(LinkException.class, linked::traps);
  }

  /** A relocation is checked where it is applied, as the text is written. */
  @Test
  void relocationOfAnotherIsaOrAbsoluteOrPastTheFunctionIsRejectedWhereTheTextIsWritten() {
    CompiledFunction arm = new CompiledFunction(new byte[8],
        List.of(new Reloc(0, RelocKind.AARCH64_CALL26, F0.raw(), 0)), List.of(), List.of());
    CompiledFunction abs = new CompiledFunction(new byte[8], List.of(new Reloc(0, RelocKind.ABS8, F0.raw(), 0)),
        List.of(), List.of());
    CompiledFunction pastEnd = new CompiledFunction(new byte[4],
        List.of(new Reloc(2, RelocKind.X86_CALL_PC_REL4, F0.raw(), -4)), List.of(), List.of());
    for (CompiledFunction f : List.of(arm, abs, pastEnd)) {
      LinkedText linked = link(Map.of(F0, f), List.of(F0));
      assertThrows(LinkException.class, linked::text);
      CwasmWriter writer = linked.writeTo(new CwasmWriter(CompatHeader.current("test", Target.X86_64, Map.of())));
      assertThrows(LinkException.class, writer::toByteArray);
    }
  }

  @Test
  void aarch64BranchPatchesImm26AndKeepsTheOpcode() {
    // BL #0 is 0x94000000 (Arm ARM C6.2.35); F1 at 16 (16-byte alignment) calls F0 at 0: imm26 = -4.
    byte[] bl = {0, 0, 0, (byte) 0x94};
    CompiledFunction f0 = new CompiledFunction(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, List.of(), List.of(), List.of());
    CompiledFunction f1 = new CompiledFunction(bl, List.of(new Reloc(0, RelocKind.AARCH64_CALL26, F0.raw(), 0)),
        List.of(), List.of());
    LinkedText linked = new Linker(Target.AARCH64).link(new TreeMap<>(Map.of(F0, f0, F1, f1)), List.of(F1, F0),
        FuncKey::toString);
    assertEquals(0x97FF_FFFC, le32(linked.text(), 16));
  }

  @Test
  void functionIndexAnswersLookupsForThePlacedFunctions() {
    LinkedText linked = link(Map.of(F0, nops(5), F2, nops(40), T1, nops(3)), List.of(F0, F2, T1));
    FunctionIndex index = FunctionIndex.open(MemorySegment.ofArray(linked.functionIndex()), linked.text().length);
    assertEquals(3, index.functionCount());
    assertEquals(0, index.startOf(F0));
    assertEquals(32, index.startOf(F2));
    assertEquals(96, index.startOf(T1));
    assertEquals(F2, index.keyAt(60).orElseThrow());
  }

  @Test
  void sameInputLinksToTheSameBytes() {
    Map<FuncKey, CompiledFunction> functions = Map.of(F0, callThenRet(F1), F1, callThenRet(TRAP), TRAP, nops(9));
    assertArrayEquals(link(functions, List.of(F0)).text(), link(functions, List.of(F0)).text());
  }
}
