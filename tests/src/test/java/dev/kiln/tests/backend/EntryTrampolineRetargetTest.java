package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.FuncKey;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The compiler emits one array-to-wasm trampoline per signature and retargets it for the other
 * callees ({@code EntryTrampolines}), which gives the same artifact only if each backend's trampoline
 * names its callee in its relocations alone ({@link Backend#arrayToWasmTrampoline}).
 */
class EntryTrampolineRetargetTest {
  @ParameterizedTest
  @EnumSource(BoundsCheckEliminationEndToEndTest.Isa.class)
  void aRetargetedTrampolineIsTheOneEmittedForItsCallee(BoundsCheckEliminationEndToEndTest.Isa isa) {
    Backend backend = BoundsCheckEliminationEndToEndTest.backend(isa);
    FuncKey first = FuncKey.definedWasmFunction(0, 3);
    FuncKey other = FuncKey.definedWasmFunction(0, 70_000);
    // Register and stack arguments and results of every class.
    for (Signature signature : List.of(ModuleEnvironment.wasmSignature(List.of(), List.of()),
        ModuleEnvironment.wasmSignature(List.of(Type.I32, Type.I64, Type.F32, Type.F64, Type.V128), List.of(Type.I64)),
        ModuleEnvironment.wasmSignature(Collections.nCopies(20, Type.F64),
            Collections.nCopies(9, Type.I32)))) {
      CompiledFunction emitted = backend.arrayToWasmTrampoline(signature, other);
      CompiledFunction retargeted = backend.arrayToWasmTrampoline(signature, first).retargeted(first.raw(), other.raw());
      assertArrayEquals(emitted.code(), retargeted.code(), signature.toString());
      assertEquals(List.copyOf(emitted.relocs()), List.copyOf(retargeted.relocs()), signature.toString());
      assertEquals(List.copyOf(emitted.trapSites()), List.copyOf(retargeted.trapSites()), signature.toString());
    }
  }
}
