package dev.kiln.tests.support;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import java.util.List;

/**
 * Calls of a loaded instance's exports as the loader-level tests make them: integer arguments, the
 * first result's bits, or the trap the call must end with.
 */
public final class Invocations {
  private Invocations() {}

  /** Calls export {@code name} with i32 or i64 arguments; its first result's bits, or 0 when it has none. */
  public static long call(LoadedInstance instance, String name, long... args) {
    List<WasmValue> results = instance.invoke(name, args);
    return results.isEmpty() ? 0 : results.getFirst().bits();
  }

  /** The trap that calling export {@code name} must end with (the test fails if it returns). */
  public static TrapCode trap(LoadedInstance instance, String name, long... args) {
    return assertThrows(TrapException.class, () -> instance.invoke(name, args), name).code();
  }
}
