package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.artifact.vm.VmShape;
import dev.kiln.compiler.testsupport.ModuleBulk;
import dev.kiln.loader.runtime.StoreLimits;
import org.junit.jupiter.api.Test;

/**
 * One instance's VMContext is capped (issue 35): its size is the module's choice (a 16-byte slot per
 * global, a record per function reference, segment, type, tag...), and without a byte limit the
 * store took whatever a module piled up, allocated at every instantiation.
 */
class VmContextLimitTest {
  /** Globals enough for a VMContext of some 18 KiB. */
  private static final int GLOBALS = 1100;

  @Test
  void aVmContextOverTheStoresLimitIsRefusedBeforeAnythingIsAllocated() {
    Engine engine = Engine.create();
    try (WasmModule module = WasmModule.compile(engine, ModuleBulk.GLOBALS.module(GLOBALS))) {
      try (Store small = Store.builder(engine).maxVmContextBytes(16 << 10).build()) {
        KilnException e = assertThrows(KilnException.class, () -> new Linker(small).instantiate(module));
        assertTrue(e.getMessage().startsWith("the VMContext of an instance of "), e.getMessage());
        assertTrue(e.getMessage().contains(" bytes, more than the 16384 bytes store #"), e.getMessage());
        // Nothing was taken: the store still instantiates a module that fits.
        try (WasmModule fits = WasmModule.compile(engine, ModuleBulk.GLOBALS.module(10));
            Instance instance = new Linker(small).instantiate(fits)) {
          assertNotNull(instance.func("_start", Runnable.class));
        }
      }
      try (Store defaults = new Store(engine); Instance instance = new Linker(defaults).instantiate(module)) {
        assertNotNull(instance.func("_start", Runnable.class));
      }
    }
  }

  /** The default holds every kind at the decoder's cap on its own, and not every kind at once. */
  @Test
  void theDefaultFitsAnySingleKindAtItsCap() {
    int cap = VmShape.MAX_COUNT;
    assertEquals(64L << 20, StoreLimits.DEFAULTS.maxVmContextBytes());
    VmShape[] oneKind = {
        new VmShape(cap, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        new VmShape(0, 0, 0, 0, 0, 0, cap, 0, 0, 0, 0, 0, 0),
        new VmShape(0, 0, 0, 0, 0, 0, 0, cap, 0, 0, 0, 0, 0),
        new VmShape(0, 0, 0, 0, 0, 0, 0, 0, cap, 0, 0, 0, 0),
        new VmShape(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, cap, cap, cap)};
    for (VmShape shape : oneKind) {
      assertTrue(new VmLayout(shape).size() <= StoreLimits.DEFAULTS.maxVmContextBytes(), shape.toString());
    }
    VmShape piled = new VmShape(cap, 0, 0, 0, 0, 0, cap, cap, cap, 0, cap, cap, cap);
    assertTrue(new VmLayout(piled).size() > StoreLimits.DEFAULTS.maxVmContextBytes());
  }
}
