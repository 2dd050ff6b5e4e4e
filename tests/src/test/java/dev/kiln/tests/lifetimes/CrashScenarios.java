package dev.kiln.tests.lifetimes;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.cli.Main;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.host.CallingInstance;
import dev.kiln.loader.host.HostFunction;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.table.TableInstance;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.tests.support.Engine;
import dev.kiln.wat.Wat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The ways issue 12 found to kill the host JVM through lifetimes, and their neighbours, each run to
 * the point where the old runtime crashed: closing an exporter (its memory, global, host function,
 * a table slot pointing into it, its module, its store) and then running what still uses it, and
 * rewriting a {@code .cwasm} through {@code kiln compile} while its old mapping runs. {@link
 * CrashScenariosTest} runs this in a child JVM, so a regression is a failed test instead of a dead
 * test JVM; each scenario prints one line, {@code name: what it observed}.
 *
 * <p>Usage: {@code CrashScenarios DIR} (a scratch directory for the artifact files).
 */
public final class CrashScenarios {
  private static final Engine ENGINE = new Engine();

  private CrashScenarios() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    scenario("memory of a closed exporter", CrashScenarios::memoryOfAClosedExporter);
    scenario("host function closed while imported", CrashScenarios::hostFunctionClosedWhileImported);
    scenario("global of a closed exporter", CrashScenarios::globalOfAClosedExporter);
    scenario("table slot into a closed instance", CrashScenarios::tableSlotIntoAClosedInstance);
    scenario("module closed before its instance", CrashScenarios::moduleClosedBeforeItsInstance);
    scenario("instance closed inside its own call", CrashScenarios::instanceClosedInsideItsOwnCall);
    scenario("store closed under its instance", CrashScenarios::storeClosedUnderItsInstance);
    scenario("artifact rewritten while mapped", () -> artifactRewrittenWhileMapped(dir));
  }

  private static void scenario(String name, Callable<String> body) throws Exception {
    String observed = body.call();
    System.out.println(name + ": " + observed);
    System.out.flush();
  }

  static LoadedModule module(String wat) {
    return ENGINE.fromArtifact(Artifacts.fromWat(wat, X64Backend.forHost()));
  }

  private static int i32(LoadedInstance instance, String export) {
    return ((WasmValue.I32) instance.invoke(export).getFirst()).value();
  }

  private static String memoryOfAClosedExporter() {
    try (NativeStore store = new NativeStore()) {
      ImportNamespace linker = new ImportNamespace(store);
      LoadedInstance exporter = linker.instantiate(module("""
          (module (memory (export "mem") 1)
            (func (export "fill") (i32.store (i32.const 65532) (i32.const 42))))
          """));
      exporter.invoke("fill");
      linker.defineInstance("a", exporter);
      LoadedInstance importer = linker.instantiate(module("""
          (module (import "a" "mem" (memory 1))
            (func (export "read") (result i32) (i32.load (i32.const 65532))))
          """));
      exporter.close();
      int read = i32(importer, "read");
      boolean aliveWhileImported = exporter.lifetime().isAlive();
      importer.close();
      return "read " + read + ", alive while imported " + aliveWhileImported + ", freed with the importer "
          + !exporter.lifetime().isAlive();
    }
  }

  private static String hostFunctionClosedWhileImported() {
    try (NativeStore store = new NativeStore()) {
      ImportNamespace linker = new ImportNamespace(store);
      HostFunction seven = HostFunction.create(store, new FuncType(List.of(), List.of(ValType.I32)),
          args -> List.of(new WasmValue.I32(7)));
      linker.define("env", "seven", new Extern.Function(seven.function()));
      LoadedInstance importer = linker.instantiate(module("""
          (module (import "env" "seven" (func $seven (result i32)))
            (func (export "call") (result i32) (call $seven)))
          """));
      seven.close();
      int fromWasm = i32(importer, "call");
      String fromJava;
      try {
        seven.function().call();
        fromJava = "called";
      } catch (IllegalStateException e) {
        fromJava = "refused";
      }
      return "from wasm " + fromWasm + ", from Java " + fromJava;
    }
  }

  private static String globalOfAClosedExporter() {
    try (NativeStore store = new NativeStore()) {
      ImportNamespace linker = new ImportNamespace(store);
      LoadedInstance exporter = linker.instantiate(module("(module (global (export \"g\") (mut i32) (i32.const 5)))"));
      linker.defineInstance("a", exporter);
      LoadedInstance importer = linker.instantiate(module("""
          (module (import "a" "g" (global $g (mut i32)))
            (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))
          """));
      exporter.close();
      return "bumped " + i32(importer, "bump") + " then " + i32(importer, "bump");
    }
  }

  private static String tableSlotIntoAClosedInstance() {
    try (NativeStore store = new NativeStore()) {
      ImportNamespace linker = new ImportNamespace(store);
      // Code compiled with table-lazy-init (the default) imports tables with tagged slots.
      TableInstance table = TableInstance.createHost(store, new TableType(ValType.FUNCREF, Limits.of(2), false), 0, true);
      linker.define("env", "tab", new Extern.Table(table));
      LoadedInstance writer = linker.instantiate(module("""
          (module (import "env" "tab" (table 2 funcref))
            (func $ninety_nine (result i32) (i32.const 99))
            (elem (i32.const 0) $ninety_nine))
          """));
      writer.close();
      LoadedInstance caller = linker.instantiate(module("""
          (module (import "env" "tab" (table 2 funcref)) (type $answer (func (result i32)))
            (func (export "call0") (result i32) (call_indirect (type $answer) (i32.const 0))))
          """));
      table.close();
      return "call_indirect " + i32(caller, "call0") + ", writer kept " + writer.lifetime().isAlive();
    }
  }

  private static String moduleClosedBeforeItsInstance() {
    try (NativeStore store = new NativeStore()) {
      LoadedModule module = module("(module (func (export \"six\") (result i32) (i32.const 6)))");
      LoadedInstance instance = new ImportNamespace(store).instantiate(module);
      module.close();
      int six = i32(instance, "six");
      instance.close();
      return "call " + six;
    }
  }

  private static String instanceClosedInsideItsOwnCall() {
    try (NativeStore store = new NativeStore()) {
      ImportNamespace linker = new ImportNamespace(store);
      linker.defineFunction("env", "close_me", new FuncType(List.of(), List.of()), (CallingInstance caller, List<WasmValue> args) -> {
        caller.instance().orElseThrow().close();
        return List.of();
      });
      LoadedInstance instance = linker.instantiate(module("""
          (module (import "env" "close_me" (func $close_me)) (memory 1)
            (func (export "run") (result i32)
              (i32.store (i32.const 8) (i32.const 42)) (call $close_me) (i32.load (i32.const 8))))
          """));
      int result = i32(instance, "run");
      return "returned " + result + ", freed after the call " + !instance.lifetime().isAlive();
    }
  }

  private static String storeClosedUnderItsInstance() {
    NativeStore store = new NativeStore();
    LoadedInstance instance = new ImportNamespace(store).instantiate(module("""
        (module (memory (export "memory") 1) (func (export "one") (result i32) (i32.const 1)))
        """));
    MemorySegment memory = instance.memory(0);
    store.close();
    return "call " + refused(() -> instance.invoke("one")) + ", memory view "
        + refused(() -> memory.get(ValueLayout.JAVA_INT, 0));
  }

  private static String refused(Runnable action) {
    try {
      action.run();
      return "allowed";
    } catch (IllegalStateException e) {
      return "refused";
    }
  }

  /**
   * A module whose exported {@code answer} (and its trampoline) sit past the first pages of {@code
   * .text}: 300 exported fillers come first in FuncKey order, so the small artifact that replaces it
   * ends before them. Rewriting the file in place would leave the old mapping's pages beyond the new
   * end of file, and the next call a SIGBUS.
   */
  private static String largeModule() {
    StringBuilder wat = new StringBuilder("(module\n");
    for (int i = 0; i < 300; i++) {
      wat.append("  (func (export \"f").append(i).append("\") (param i64) (result i64) (i64.mul (i64.add (local.get 0)"
          + " (i64.const ").append(i).append(")) (i64.const 3)))\n");
    }
    return wat.append("  (func (export \"answer\") (result i32) (i32.const 42)))\n").toString();
  }

  private static String artifactRewrittenWhileMapped(Path dir) throws Exception {
    Path large = dir.resolve("large.wasm");
    Path small = dir.resolve("small.wasm");
    Files.write(large, Wat.toBinaryWithNames(largeModule(), "test.wat"));
    Files.write(small, Wat.toBinaryWithNames("(module (func (export \"answer\") (result i32) (i32.const 7)))", "test.wat"));
    Path app = dir.resolve("app.cwasm");
    compile(large, app);
    long before = Files.size(app);
    try (NativeStore store = new NativeStore(); LoadedModule running = ENGINE.load(app)) {
      LoadedInstance old = new ImportNamespace(store).instantiate(running);
      // A handle's VMFuncRef holds absolute addresses in the mapped .text: calls jump straight there.
      FunctionInstance answer = old.function("answer");
      int first = (Integer) answer.callJava();
      compile(small, app);
      long after = Files.size(app);
      int again = (Integer) answer.callJava();
      long sum = 0;
      for (int i = 0; i < 300; i++) {
        sum += (Long) old.function("f" + i).callJava(1L);
      }
      try (LoadedModule replaced = ENGINE.load(app)) {
        LoadedInstance fresh = new ImportNamespace(store).instantiate(replaced);
        return "old " + first + " then " + again + " and by name " + i32(old, "answer") + " (fillers sum " + sum
            + "), file shrank " + (after < before / 2) + ", new " + i32(fresh, "answer");
      }
    }
  }

  /** {@code kiln compile IN -o OUT}, in this JVM: the real writer. */
  private static void compile(Path in, Path out) {
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "compile", in.toString(), "-o",
        out.toString());
    if (exit != 0) {
      throw new IllegalStateException("kiln compile failed: " + err);
    }
  }
}
