package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kiln.cli.wast.Script;
import dev.kiln.cli.wast.ScriptCommand;
import dev.kiln.cli.wast.ScriptCommand.Action;
import dev.kiln.cli.wast.ScriptCommand.WastValue;
import dev.kiln.cli.wast.ScriptParser;
import dev.kiln.cli.wast.Wast2Json;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.loader.runtime.EntryInvoker;
import dev.kiln.loader.runtime.Store;
import dev.kiln.loader.runtime.Trap;
import dev.kiln.loader.runtime.ValRaw;
import dev.kiln.tests.support.Corpora;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.ValType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Spec scripts run end to end on x86-64: wast2json, the wasm decoder, the translator, {@link
 * X64Backend}, a hand-linked image ({@link CompiledInstance}) entered through the loader's {@link
 * EntryInvoker}. Every {@code assert_return}, {@code assert_trap} and {@code assert_exhaustion} on
 * an integer function is checked; a function the backend does not compile (floats) is counted as
 * skipped, not as passed. Each script fails with the list of its wrong results.
 */
class SpecEndToEndTest {
  /** The integer-subset scripts the backend is held to. */
  static final List<String> SCRIPTS = List.of("i32", "i64", "int_exprs", "block", "br", "br_if",
      "br_table", "loop", "if", "return", "call", "local_get", "local_set", "local_tee", "select",
      "nop", "unreachable", "labels", "switch", "stack", "fac", "forward", "memory", "address",
      "load", "store", "memory_trap", "endianness", "left-to-right", "unwind");

  private static final StringBuilder SUMMARY = new StringBuilder();
  private static final X64Backend BACKEND = new X64Backend(CpuFeatures.host(), true);

  @AfterAll
  static void printSummary() {
    System.out.println("x86-64 end to end (pass/fail/skipped per script):\n" + SUMMARY);
  }

  /** The host's CPU features (LZCNT, TZCNT, POPCNT where present). */
  @TestFactory
  Stream<DynamicTest> scripts() throws Exception {
    return run(SCRIPTS, BACKEND, "");
  }

  /**
   * The bit-counting scripts again on a backend limited to the x86-64 baseline, so the BSR/BSF and
   * SWAR fallbacks run even on a host that has the extensions.
   */
  @TestFactory
  Stream<DynamicTest> baselineCpu() throws Exception {
    return run(List.of("i32", "i64", "int_exprs"), new X64Backend(CpuFeatures.baseline(), true),
        " (baseline)");
  }

  private static Stream<DynamicTest> run(List<String> names, X64Backend backend, String label)
      throws Exception {
    Path suite = Corpora.specTestsuite();
    assertTrue(Files.isDirectory(suite), () -> "spec test suite not found at " + suite);
    Wast2Json tool = Wast2Json.locate();
    Path buildDir = Path.of(System.getProperty("kiln.wast.buildDir", "target/wast"));
    return names.stream().map(name -> dynamicTest(name + label, () -> {
      Script script = ScriptParser.parse(tool.convert(suite.resolve("core").resolve(name + ".wast"),
          buildDir));
      Tally t = run(script, backend);
      synchronized (SUMMARY) {
        SUMMARY.append(String.format("  %-25s %5d passed %4d failed %4d skipped%n", name + label,
            t.passed, t.failures.size(), t.skipped));
      }
      if (!t.failures.isEmpty()) {
        throw new AssertionError(name + ": " + t.failures.size() + " failed, " + t.passed
            + " passed\n" + String.join("\n", t.failures.subList(0, Math.min(40,
            t.failures.size()))));
      }
      assertTrue(t.passed > 0, name + ": nothing ran");
    }));
  }

  private static final class Tally {
    int passed;
    int skipped;
    final List<String> failures = new ArrayList<>();
  }

  private static Tally run(Script script, X64Backend backend) throws Exception {
    Tally t = new Tally();
    Map<String, CompiledInstance> named = new HashMap<>();
    List<CompiledInstance> all = new ArrayList<>();
    CompiledInstance current = null;
    String currentError = null;
    try (Store store = new Store(); Arena arena = Arena.ofConfined()) {
      EntryInvoker invoker = new EntryInvoker(store);
      MemorySegment values = ValRaw.allocate(arena, 64);
      for (ScriptCommand c : script.commands()) {
        switch (c) {
          case ScriptCommand.ModuleCommand m -> {
            current = null;
            currentError = null;
            try {
              byte[] bytes = Files.readAllBytes(
                  script.moduleDirectory().resolve(m.module().filename()));
              current = new CompiledInstance(bytes, backend, store);
              all.add(current);
              if (m.name().isPresent()) {
                named.put(m.name().get(), current);
              }
            } catch (RuntimeException e) {
              currentError = "line " + m.line() + ": module not instantiated: " + e;
            }
          }
          case ScriptCommand.AssertReturn a -> check(t, a.line(), a.action(),
              pick(a.action(), current, named), currentError, invoker, values, a.expected(), null);
          case ScriptCommand.AssertTrap a -> check(t, a.line(), a.action(),
              pick(a.action(), current, named), currentError, invoker, values, null, a.text());
          case ScriptCommand.AssertExhaustion a -> check(t, a.line(), a.action(),
              pick(a.action(), current, named), currentError, invoker, values, null, a.text());
          case ScriptCommand.PerformAction a -> check(t, a.line(), a.action(),
              pick(a.action(), current, named), currentError, invoker, values, null, null);
          default -> { } // validation and linking commands are other tests' business
        }
      }
    } finally {
      all.forEach(CompiledInstance::close);
    }
    return t;
  }

  private static CompiledInstance pick(Action action, CompiledInstance current,
      Map<String, CompiledInstance> named) {
    return action.module().map(named::get).orElse(current);
  }

  /**
   * Runs one action; {@code expected} non-null checks results, {@code trapText} non-null expects a
   * trap with that message, both null only requires it not to trap.
   */
  private static void check(Tally t, int line, Action action, CompiledInstance inst, String moduleError,
      EntryInvoker invoker, MemorySegment values, List<WastValue> expected, String trapText) {
    String where = "line " + line + " " + action.field() + action.args().stream()
        .map(v -> v.value().toString()).toList();
    if (action.type() != ScriptCommand.ActionType.INVOKE) {
      t.skipped++;
      return;
    }
    if (inst == null) {
      t.failures.add(where + ": " + (moduleError == null ? "no module" : moduleError));
      return;
    }
    Optional<Export> export = inst.module.exports().stream()
        .filter(e -> e.kind() == ExternKind.FUNC && e.name().equals(action.field())).findFirst();
    if (export.isEmpty()) {
      t.failures.add(where + ": no exported function " + action.field());
      return;
    }
    int definedIndex = export.get().index() - inst.env.importedFunctionCount();
    FuncType type = inst.env.functionType(export.get().index());
    if (!isInteger(type)) {
      t.skipped++;
      return;
    }
    long trampoline = inst.trampoline(definedIndex);
    if (trampoline == 0 && inst.outOfScope.contains(definedIndex)) {
      t.skipped++;
      return;
    }
    if (trampoline == 0) {
      t.failures.add(where + ": not compiled: " + inst.notCompiled.get(definedIndex));
      return;
    }
    List<WastValue> args = action.args();
    for (int i = 0; i < args.size(); i++) {
      ValRaw.setI64(values, i, parse(args.get(i)));
    }
    int len = Math.max(type.params().size(), type.results().size());
    try {
      invoker.invoke(MemorySegment.ofAddress(trampoline), inst.vmctx, inst.vmctx, values, len);
    } catch (Trap trap) {
      if (trapText != null && trap.getMessage().startsWith(trapText)) {
        t.passed++;
      } else {
        t.failures.add(where + ": trapped '" + trap.getMessage() + "'"
            + (trapText != null ? ", expected '" + trapText + "'" : ""));
      }
      return;
    }
    if (trapText != null) {
      t.failures.add(where + ": returned, expected trap '" + trapText + "'");
      return;
    }
    if (expected == null) {
      t.passed++;
      return;
    }
    for (int i = 0; i < expected.size(); i++) {
      WastValue e = expected.get(i);
      long want = parse(e);
      long got = e.type().equals("i32") ? ValRaw.getI32(values, i) & 0xffff_ffffL
          : ValRaw.getI64(values, i);
      if (got != want) {
        t.failures.add(where + ": result " + i + " = " + Long.toUnsignedString(got) + ", expected "
            + Long.toUnsignedString(want));
        return;
      }
    }
    t.passed++;
  }

  private static boolean isInteger(FuncType type) {
    return Stream.concat(type.params().stream(), type.results().stream())
        .allMatch(v -> v == ValType.I32 || v == ValType.I64);
  }

  /** wast2json writes integers as unsigned decimal strings. */
  private static long parse(WastValue v) {
    return switch (v.type()) {
      case "i32" -> Long.parseUnsignedLong(v.value().get(0)) & 0xffff_ffffL;
      case "i64" -> Long.parseUnsignedLong(v.value().get(0));
      default -> throw new IllegalArgumentException("not an integer value: " + v);
    };
  }
}
