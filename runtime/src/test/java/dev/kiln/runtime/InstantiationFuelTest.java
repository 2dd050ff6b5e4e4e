package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * Under fuel alone (no epoch deadline, no timeout), instantiation is bounded too (issue 35, open
 * item): a module whose instantiation does much work (here 20,000 globals to initialise, as many
 * as its author likes up to the 2^20 cap) spends fuel, one unit an item, and ends with the
 * out-of-fuel trap once the store's fuel is spent; given enough, it instantiates and the fuel it
 * spent is gone. Before, instantiating it spent no fuel and could not be stopped.
 */
class InstantiationFuelTest {
  private static final int GLOBALS = 20_000;

  private static byte[] manyGlobals() {
    StringBuilder wat = new StringBuilder("(module\n");
    for (int i = 0; i < GLOBALS; i++) {
      wat.append("(global i32 (i32.const ").append(i).append("))\n");
    }
    wat.append("(func (export \"last\") (result i32) (global.get ").append(GLOBALS - 1).append(")))");
    return Wat.toBinaryWithNames(wat.toString(), "globals.wat");
  }

  @Test
  void instantiationSpendsFuelAndEndsWhenItIsSpent() {
    Engine engine = Engine.builder().consumeFuel(true).build();
    try (WasmModule module = WasmModule.compile(engine, manyGlobals())) {
      try (Store store = new Store(engine)) {
        store.setFuel(GLOBALS / 10);
        Trap trap = assertThrows(Trap.class, () -> new Linker(store).instantiate(module));
        assertEquals(Trap.OUT_OF_FUEL, trap.reason());
      }
      try (Store store = new Store(engine)) {
        store.setFuel(10L * GLOBALS);
        Instance instance = new Linker(store).instantiate(module);
        // One unit an item, charged 1,024 at a time: all but the last partial batch.
        assertTrue(store.fuel() <= 10L * GLOBALS - GLOBALS / 2, "fuel left after instantiating: " + store.fuel());
        assertEquals(GLOBALS - 1, instance.func("last", IntSupplier.class).getAsInt());
      }
    }
  }
}
