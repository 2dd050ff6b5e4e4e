package dev.kiln.compiler.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.FuncKey;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.compiler.link.CompiledFunctions.Held;
import dev.kiln.compiler.link.CompiledFunctions.Resident;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile hands {@link CompiledFunctions} its functions as two lists in FuncKey order, as its
 * jobs come, not as a sorted map: the order is checked, since the linker's binary search by key and
 * the text's order rely on it.
 */
class CompiledFunctionsTest {
  private static final FuncKey F0 = FuncKey.definedWasmFunction(0, 0);
  private static final FuncKey F1 = FuncKey.definedWasmFunction(0, 1);
  private static final FuncKey ENTRY0 = FuncKey.arrayToWasmTrampoline(0, 0);
  private static final FuncKey TRAP = FuncKey.wasmToBuiltinTrampoline(0);

  @TempDir
  Path directory;

  private static Held ret() {
    return new Resident(new CompiledFunction(new byte[] {(byte) 0xC3}, List.of(), List.of(), List.of()));
  }

  @Test
  void keysInFuncKeyOrderAreFoundByPosition() {
    CompiledFunctions functions = new CompiledFunctions(List.of(F0, F1, ENTRY0, TRAP),
        List.of(ret(), ret(), ret(), ret()), Optional.empty());
    assertEquals(4, functions.size());
    assertEquals(2, functions.positionOf(ENTRY0.raw()));
    assertEquals(-1, functions.positionOf(FuncKey.definedWasmFunction(0, 2).raw()));
  }

  @Test
  void keysOutOfOrderOrRepeatedAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new CompiledFunctions(List.of(F1, F0), List.of(ret(), ret()), Optional.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> new CompiledFunctions(List.of(ENTRY0, F0), List.of(ret(), ret()), Optional.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> new CompiledFunctions(List.of(F0, F0), List.of(ret(), ret()), Optional.empty()));
  }

  @Test
  void listsOfDifferentSizesAndSpilledFunctionsWithoutASpillAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new CompiledFunctions(List.of(F0, F1), List.of(ret()), Optional.empty()));
    try (FunctionSpill spill = FunctionSpill.open(directory)) {
      Held spilled = spill.keep(new CompiledFunction(new byte[] {(byte) 0xC3}, List.of(), List.of(), List.of()));
      assertThrows(IllegalArgumentException.class,
          () -> new CompiledFunctions(List.of(F0), List.of(spilled), Optional.empty()));
    }
  }
}
