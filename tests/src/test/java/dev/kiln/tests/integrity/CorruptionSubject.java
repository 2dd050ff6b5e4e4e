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
import dev.kiln.tests.support.BoxedLocals;
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
   * GC types, safepoints and stack maps: {@code run n} builds a list of n structs, each beside a
   * dropped array of 64 i64s, so the heap passes its first collection threshold (1 MiB) and
   * collections walk the frames holding the list, then sums the list through a call that allocates:
   * {@code run 5000} = 5000 * 5001 / 2 = 12502500.
   */
  private static final String GC = """
      (module
        (type $node (struct (field $v i64) (field $next (ref null $node))))
        (type $pad (array (mut i64)))
        (func $cons (param $v i64) (param $next (ref null $node)) (result (ref $node))
          (drop (array.new_default $pad (i32.const 64)))
          (struct.new $node (local.get $v) (local.get $next)))
        (func $sum (param $l (ref null $node)) (result i64)
          (local $s i64)
          (block $done (loop $again
            (br_if $done (ref.is_null (local.get $l)))
            (local.set $s (i64.add (local.get $s) (struct.get $node $v (local.get $l))))
            (local.set $l (struct.get $node $next (call $cons (i64.const 0) (local.get $l))))
            (local.set $l (struct.get $node $next (local.get $l)))
            (br $again)))
          (local.get $s))
        (func (export "run") (param $n i64) (result i64)
          (local $l (ref null $node))
          (block $done (loop $again
            (br_if $done (i64.eqz (local.get $n)))
            (local.set $l (call $cons (local.get $n) (local.get $l)))
            (local.set $n (i64.sub (local.get $n) (i64.const 1)))
            (br $again)))
          (call $sum (local.get $l))))
      """;

  /** How many reference locals {@link #GC_RESIDENT}'s {@code run} keeps, and how many calls each loop iteration makes. */
  private static final int RESIDENT_LOCALS = 40;
  private static final int RESIDENT_CALLS = 100;

  /**
   * Frame-resident reference locals (compiler translate.ReferenceLiveness): {@code run}'s locals live
   * across each of its loop's calls would cost more spills than its body allows, so they stay in
   * frame slots, one resident set of {@code .kiln.stackmaps} that every safepoint of {@code run}
   * names. Each call allocates an array of 64 i64s, so {@code run 30}'s 3,000 of them pass the
   * heap's first collection threshold (1 MiB) and collections rewrite the resident slots; each
   * iteration replaces {@code $x0}'s box with one holding one more: {@code run 30} = (0 + ... + 39)
   * + 30 = 810.
   */
  private static final String GC_RESIDENT = residentModule();

  private static String residentModule() {
    BoxedLocals locals = new BoxedLocals(RESIDENT_LOCALS);
    return """
        (module
          (type $box (struct (field $v i64)))
          (type $pad (array (mut i64)))
          (func $garbage (drop (array.new_default $pad (i32.const 64))))
          (func (export "run") (param $n i64) (result i64)
            (local $s i64) LOCALS
            INIT
            (block $done (loop $again
              (br_if $done (i64.eqz (local.get $n)))
              CALLS
              (local.set $x0 (struct.new $box (i64.add (struct.get $box $v (local.get $x0)) (i64.const 1))))
              (local.set $n (i64.sub (local.get $n) (i64.const 1)))
              (br $again)))
            SUM
            (local.get $s)))
        """.replace("LOCALS", locals.declarations()).replace("INIT", locals.init(0)).replace("SUM", locals.sum())
        .replace("CALLS", " (call $garbage)".repeat(RESIDENT_CALLS));
  }

  /**
   * Exception handling: handler tables and tags. {@code run n} throws from a callee n times, each
   * caught by a {@code try_table} in the caller, once with {@code catch} and once with {@code
   * catch_ref} and a {@code throw_ref} to a second handler; the payload carries a struct: {@code run
   * 100} = 2 * (1 + ... + 100) + 100 * 3 = 10400.
   */
  private static final String EXCEPTIONS = """
      (module
        (type $box (struct (field i64)))
        (tag $t (param i64 (ref null $box)))
        (tag $u (param i32))
        (func $thrower (param $v i64)
          (if (i64.eqz (local.get $v)) (then (throw $u (i32.const 1))))
          (throw $t (local.get $v) (struct.new $box (i64.const 3))))
        (func $catch (param $v i64) (result i64)
          (block $h (result i64 (ref null $box))
            (try_table (catch $t $h) (call $thrower (local.get $v)))
            (unreachable))
          (struct.get $box 0)
          (i64.add))
        (func $rethrown (param $v i64) (result i64)
          (block $outer (result i64 (ref null $box))
            (try_table (catch $t $outer)
              (block $h (result exnref)
                (try_table (catch_all_ref $h) (call $thrower (local.get $v)))
                (unreachable))
              (throw_ref))
            (unreachable))
          (drop))
        (func (export "run") (param $n i64) (result i64)
          (local $s i64)
          (block $done (loop $again
            (br_if $done (i64.eqz (local.get $n)))
            (local.set $s (i64.add (local.get $s) (call $catch (local.get $n))))
            (local.set $s (i64.add (local.get $s) (call $rethrown (local.get $n))))
            (local.set $n (i64.sub (local.get $n) (i64.const 1)))
            (br $again)))
          (local.get $s)))
      """;

  /**
   * Every subject for both targets: {@code examples/hello.wasm}'s {@code fac 20}; from the spec
   * suite, {@code call_indirect.wast}'s first module ({@code dispatch 12 5} calls fac-i64 through a
   * table: 120) and {@code start.wast}'s module at line 21 (a start function that bumps a data
   * segment's byte in memory three times: {@code get} = 68); and a host call through a
   * WASM_TO_ARRAY trampoline ({@code run 7} = twice(7 * 3) = 42); and {@link #GC}, {@link
   * #GC_RESIDENT} and {@link #EXCEPTIONS}, whose artifacts carry stack maps (with a resident set in
   * {@link #GC_RESIDENT}'s), handler tables and tags for the side-table mutations ({@link
   * Mutation#SIDE_TABLE}).
   */
  static List<CorruptionSubject> all() throws IOException {
    Path suite = Corpora.specTestsuite().resolve("core");
    byte[] hello = Files.readAllBytes(Path.of("..", "examples", "hello.wasm"));
    byte[] callIndirect = specModule(suite.resolve("call_indirect.wast"), 3);
    byte[] start = specModule(suite.resolve("start.wast"), 21);
    byte[] hostCall = Wat.toBinaryWithNames(HOST_CALL, "test.wat");
    byte[] gc = Wat.toBinaryWithNames(GC, "gc.wat");
    byte[] gcResident = Wat.toBinaryWithNames(GC_RESIDENT, "gc-resident.wat");
    byte[] exceptions = Wat.toBinaryWithNames(EXCEPTIONS, "exceptions.wat");
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
      subjects.add(subject("gc", target, gc, backend, "run", new long[] {5000},
          List.of(new WasmValue.I64(12502500L)), linker -> { }));
      subjects.add(subject("gc-resident", target, gcResident, backend, "run", new long[] {30},
          List.of(new WasmValue.I64(810L)), linker -> { }));
      subjects.add(subject("exceptions", target, exceptions, backend, "run", new long[] {100},
          List.of(new WasmValue.I64(10400L)), linker -> { }));
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
