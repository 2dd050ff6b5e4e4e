package dev.kiln.tests.integrity;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.tests.support.Corpora;
import dev.kiln.wat.Edition;
import dev.kiln.wat.Wat;
import dev.kiln.wat.script.Command;
import dev.kiln.wat.script.ScriptModule;
import dev.kiln.wat.script.ScriptReader;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A compiled module with one call whose answer is known, for {@link CwasmCorruptionTest}: a valid
 * artifact to damage, the export to invoke with its arguments, the exact results, and the host
 * functions it imports.
 */
record CorruptionSubject(String name, Target target, byte[] artifact, ArtifactLayout layout, String export,
    long[] args, List<WasmValue> expected, Consumer<ImportNamespace> imports) {

  @Override
  public String toString() {
    return name + " (" + target + ")";
  }

  /** The host function the {@code host-call} module imports: {@code env.twice(x) = 2x}. */
  private static void defineTwice(ImportNamespace linker) {
    linker.defineFunction("env", "twice", new FuncType(List.of(ValType.I64), List.of(ValType.I64)),
        args -> List.of(new WasmValue.I64(((WasmValue.I64) args.get(0)).value() * 2)));
  }

  private static final String HOST_CALL = """
      (module
        (import "env" "twice" (func $twice (param i64) (result i64)))
        (global $k (mut i64) (i64.const 3))
        (func (export "run") (param i64) (result i64)
          (call $twice (i64.mul (local.get 0) (global.get $k)))))
      """;

  /**
   * Every subject for both targets: {@code examples/hello.wasm}'s {@code fac 20}; from the spec
   * suite, {@code call_indirect.wast}'s first module ({@code dispatch 12 5} calls fac-i64 through a
   * table: 120) and {@code start.wast}'s module at line 21 (a start function that bumps a data
   * segment's byte in memory three times: {@code get} = 68); and a host call through a
   * WASM_TO_ARRAY trampoline ({@code run 7} = twice(7 * 3) = 42).
   */
  static List<CorruptionSubject> all() throws IOException {
    Path suite = Corpora.specTestsuite().resolve("core");
    byte[] hello = Files.readAllBytes(Path.of("..", "examples", "hello.wasm"));
    byte[] callIndirect = specModule(suite.resolve("call_indirect.wast"), 3);
    byte[] start = specModule(suite.resolve("start.wast"), 21);
    byte[] hostCall = Wat.toBinaryWithNames(HOST_CALL, "test.wat");
    List<CorruptionSubject> subjects = new ArrayList<>();
    for (Target target : Target.values()) {
      Backend backend = target == Target.X86_64 ? X64Backend.forHost() : new AArch64Backend(false);
      subjects.add(subject("hello", target, hello, backend, "fac", new long[] {20},
          List.of(new WasmValue.I64(2432902008176640000L)), linker -> { }));
      subjects.add(subject("spec call_indirect", target, callIndirect, backend, "dispatch", new long[] {12, 5},
          List.of(new WasmValue.I64(120)), linker -> { }));
      subjects.add(subject("spec start", target, start, backend, "get", new long[0],
          List.of(new WasmValue.I32(68)), linker -> { }));
      subjects.add(subject("host-call", target, hostCall, backend, "run", new long[] {7},
          List.of(new WasmValue.I64(42)), CorruptionSubject::defineTwice));
    }
    return subjects;
  }

  private static CorruptionSubject subject(String name, Target target, byte[] wasm, Backend backend, String export,
      long[] args, List<WasmValue> expected, Consumer<ImportNamespace> imports) {
    byte[] artifact = Artifacts.compile(Wasm.load(wasm), backend);
    return new CorruptionSubject(name, target, artifact, ArtifactLayout.of(artifact), export, args, expected,
        imports);
  }

  /** The module that a spec script (of the 2022 suite) defines at {@code line}, read by Kiln's script reader. */
  private static byte[] specModule(Path script, int line) throws IOException {
    for (Command command : ScriptReader.read(Files.readAllBytes(script), script.toString(), Edition.WASM_2).commands()) {
      if (command instanceof Command.ModuleDefinition module && module.line() == line
          && module.module() instanceof ScriptModule.Encoded encoded) {
        return encoded.bytes();
      }
    }
    throw new IllegalStateException(script + " defines no module at line " + line);
  }
}
