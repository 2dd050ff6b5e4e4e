package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.info.ModuleInfoDecoder;
import dev.kiln.artifact.vm.VmShape;
import dev.kiln.compiler.testsupport.ModuleBulk;
import dev.kiln.compiler.translate.EscapingFunctions;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The module-level phases poll the one compile budget (issue 35, finding F2): decoding, validation,
 * writing the module information and reading it back each stop inside their loops over what the
 * module declares, with the error naming the phase, instead of running to the end and leaving the
 * budget to the first function job. Each case binds a budget that is already spent and runs one
 * phase alone on a module of a few thousand entries: without the phase's poll it finishes.
 *
 * <p>And the implementation limits are the decoder's: a module declaring more entries than Kiln
 * admits is refused at the count, with its offset, before anything is decoded.
 */
class ModuleBudgetTest {
  private static final int ENTRIES = 4 * CompileDeadline.POLL_INTERVAL;
  /** The bulk the artifact's module information holds (custom sections other than names it drops). */
  private static final List<ModuleBulk> IN_MODULE_INFO =
      List.of(ModuleBulk.TYPES, ModuleBulk.GLOBALS, ModuleBulk.DATA_SEGMENTS, ModuleBulk.ELEMENT_SEGMENTS);

  @Test
  void decodingStopsInsideEverySectionOfBulk() {
    for (ModuleBulk kind : ModuleBulk.values()) {
      byte[] bytes = kind.module(ENTRIES);
      assertStoppedIn(Phase.DECODE, () -> Wasm.decode(bytes), kind.name());
    }
  }

  @Test
  void validationStopsInsideItsModuleLevelLoops() {
    for (ModuleBulk kind : List.of(ModuleBulk.GLOBALS, ModuleBulk.DATA_SEGMENTS, ModuleBulk.ELEMENT_SEGMENTS)) {
      Module decoded = Wasm.decode(kind.module(ENTRIES));
      assertStoppedIn(Phase.DECODE, () -> {
        Wasm.validate(decoded);
        return decoded;
      }, kind.name());
    }
  }

  @Test
  void writingTheModuleInformationStopsInsideItsRecords() {
    for (ModuleBulk kind : IN_MODULE_INFO) {
      Module module = Wasm.load(kind.module(ENTRIES));
      EscapingFunctions escaping = EscapingFunctions.of(module);
      assertStoppedIn(Phase.ASSEMBLY, () -> ModuleInfoEncoding.encode(module, escaping), kind.name());
    }
  }

  @Test
  void readingTheModuleInformationBackStopsInsideItsRecords() {
    for (ModuleBulk kind : IN_MODULE_INFO) {
      Module module = Wasm.load(kind.module(ENTRIES));
      byte[] info = ModuleInfoEncoding.encode(module, EscapingFunctions.of(module));
      long dataBytes = ArtifactEmitter.dataBytes(module).length;
      assertStoppedIn(Phase.LOAD, () -> ModuleInfoDecoder.decode(MemorySegment.ofArray(info), dataBytes),
          kind.name());
    }
  }

  @Test
  void aCountPastTheLimitIsRefusedAtItsOffsetBeforeItsEntries() {
    // The data count section alone: no segment need follow for the count to be refused.
    byte[] dataCount = {0, 'a', 's', 'm', 1, 0, 0, 0, 12, 3, (byte) 0x81, (byte) 0x80, (byte) 0x40};
    ImplementationLimitException e =
        assertThrows(ImplementationLimitException.class, () -> Wasm.decode(dataCount));
    assertEquals("at 0xa: 1048577 data segments, more than Kiln's implementation limit of 1048576", e.getMessage());

    byte[] globals = ModuleBulk.GLOBALS.module(ImplementationLimitException.MAX_ENTRIES + 1);
    ImplementationLimitException g = assertThrows(ImplementationLimitException.class, () -> Wasm.decode(globals));
    assertEquals("at 0x17: 1048577 globals, more than Kiln's implementation limit of 1048576", g.getMessage());
  }

  @Test
  void theTypeLimitCountsTypesNotRecursionGroups() {
    // One entry in the type section, a recursion group (0x4E) of 2^20 + 1 types `func [] -> []`.
    int types = ImplementationLimitException.MAX_ENTRIES + 1;
    WasmWriter group = new WasmWriter().u8(0x4E).u32(types);
    for (int i = 0; i < types; i++) {
      group.raw(0x60, 0, 0);
    }
    byte[] bytes = new ModuleWriter().vectorSection(ModuleWriter.TYPE, 1, group).toByteArray();
    ImplementationLimitException e = assertThrows(ImplementationLimitException.class, () -> Wasm.decode(bytes));
    assertEquals("at 0xf: 1048577 types, more than Kiln's implementation limit of 1048576", e.getMessage());
  }

  @Test
  void theDecodersLimitIsTheLayoutsLimit() {
    assertEquals(VmShape.MAX_COUNT, ImplementationLimitException.MAX_ENTRIES);
  }

  private static void assertStoppedIn(Phase phase, Supplier<?> work, String what) {
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(work), what);
    assertEquals(phase, e.phase(), what);
    assertEquals(phase.description() + " took longer than the budget of 0 ms", e.getMessage(), what);
  }
}
