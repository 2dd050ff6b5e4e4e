package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.Target;
import dev.kiln.compiler.link.CompiledFunctions;
import dev.kiln.compiler.link.FunctionSpill;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large module's compile keeps its finished functions in a file ({@link FunctionSpill},
 * {@link Compiler}'s "Memory"): the artifact must be the one the same compile makes with every
 * function in memory, byte for byte, on both targets and on one thread or two, for a module whose
 * functions carry every kind of table (traps, calls, inlined calls and the functions waiting for
 * them, exception handlers, GC stack maps); and the spilled compile must hold none of them in memory.
 */
class FunctionSpillCompileTest {
  private static final String WAT = """
      (module
        (type $s (struct (field i64)))
        (tag $t (param (ref null $s)))
        (memory 1)
        (table 2 funcref)
        (elem (i32.const 0) $div $small)
        (func $small (param i32) (result i32) (i32.add (local.get 0) (i32.const 3)))
        (func $onlyInlined (param i32) (result i32) (i32.mul (local.get 0) (i32.const 5)))
        (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
        (func $churn (drop (struct.new $s (i64.const 1))))
        (func (export "loop") (param i32) (result i32) (local i32)
          (loop $l
            (local.set 1 (call $small (call $onlyInlined (local.get 1))))
            (br_if $l (i32.lt_s (local.tee 0 (i32.sub (local.get 0) (i32.const 1))) (i32.const 0))))
          (i32.add (local.get 1) (i32.load (i32.const 8))))
        (func (export "indirect") (param i32 i32 i32) (result i32)
          (call_indirect (param i32 i32) (result i32) (local.get 0) (local.get 1) (local.get 2)))
        (func (export "held") (result i64)
          (block $h (result (ref null $s))
            (try_table (catch $t $h) (throw $t (struct.new $s (i64.const 42))))
            (return (i64.const -7)))
          (call $churn)
          (struct.get $s 0)))
      """;

  @TempDir
  Path spillDirectory;

  private static Module module() {
    return Wasm.load(Wat.toBinaryWithNames(WAT, "spill.wat"));
  }

  private byte[] artifact(Target target, int jobs, long spillFrom, Path directory) {
    try (CompiledModule compiled = Compiler.compile(module(), Artifacts.backend(target), new CompileOptions(jobs),
        CompileProgress.NONE, CodeSizeLimit.MIN_LIMIT, spillFrom, directory)) {
      return ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "test");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aSpilledCompileWritesTheArtifactOfOneInMemory(Target target) {
    byte[] inMemory = artifact(target, 1, Long.MAX_VALUE, spillDirectory);
    assertArrayEquals(inMemory, artifact(target, 1, 0, spillDirectory), "one thread");
    assertArrayEquals(inMemory, artifact(target, 2, 0, spillDirectory), "two threads");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aSpilledCompileHoldsNoCompiledWasmFunctionAndNoFileByName(Target target) throws IOException {
    try (CompiledModule compiled = Compiler.compile(module(), Artifacts.backend(target), new CompileOptions(2),
        CompileProgress.NONE, CodeSizeLimit.MIN_LIMIT, 0, spillDirectory)) {
      CompiledFunctions functions = compiled.functions();
      int wasmFunctions = 0;
      for (int i = 0; i < functions.size(); i++) {
        FuncKeyKind kind = functions.key(i).kind();
        if (kind == FuncKeyKind.DEFINED_WASM_FUNCTION || kind == FuncKeyKind.ARRAY_TO_WASM_TRAMPOLINE) {
          wasmFunctions++;
          assertTrue(functions.held(i) instanceof FunctionSpill.Spilled, functions.key(i) + " is " + functions.held(i));
        }
      }
      assertTrue(wasmFunctions >= 6, "the module's functions and entries: " + wasmFunctions);
      try (Stream<Path> files = Files.list(spillDirectory)) {
        assertEquals(List.of(), files.toList(), "the spill has no name another process could open");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void whereNoSpillCanBeMadeTheFunctionsStayInMemory(Target target) {
    Path missing = spillDirectory.resolve("missing");
    byte[] inMemory = artifact(target, 2, Long.MAX_VALUE, spillDirectory);
    assertArrayEquals(inMemory, artifact(target, 2, 0, missing));
  }
}
