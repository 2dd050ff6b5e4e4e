package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.ir.Function;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.ir.verify.VerifierError;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Edition;
import dev.kiln.wat.script.Action;
import dev.kiln.wat.script.Command;
import dev.kiln.wat.script.ScriptModule;
import dev.kiln.wat.script.ScriptReader;
import dev.kiln.wat.script.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Translates every function of the spec suite scripts in {@link #FILES} (read by Kiln's script
 * reader with the 2022 suite's text rules), checks each translated function with the IR verifier, and
 * runs the scripts' {@code assert_return}, {@code assert_trap} and {@code assert_exhaustion}
 * commands on the IR with {@link ModuleInterpreter} wherever the invoked code is translated and
 * the values are integers. Functions using operators outside the translator's scope are counted
 * by operator, never failed; wrong results, wrong traps and verifier errors fail the test. The
 * per-file numbers are written to {@code spec-translation-report.txt} in the build folder.
 */
class SpecSuiteTranslationTest {
  static final Path SUITE =
      Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"), "spec-testsuite");

  /** The list, plus the scripts about memory access, which the translator also covers. */
  static final List<String> FILES = List.of("i32", "i64", "block", "br", "br_if", "br_table",
      "loop", "if", "return", "call", "local_get", "local_set", "local_tee", "select", "nop",
      "unreachable", "labels", "switch", "stack", "fac", "forward", "int_exprs", "int_literals",
      "address", "load", "store", "memory_grow", "memory_size", "memory_trap", "memory_redundancy",
      "endianness", "left-to-right", "unwind", "traps", "global", "func", "start",
      "memory64/address64", "memory64/load64", "memory64/memory_grow64",
      "memory64/memory_trap64", "memory64/endianness64", "memory64/memory_redundancy64");

  /** Scripts with integer operators only: every function in them must translate. */
  static final List<String> INTEGER_ONLY = List.of("i32", "i64", "fac", "int_literals", "switch");

  static final class Counts {
    int modules;
    int instantiated;
    int functions;
    int translated;
    int returnsPassed;
    int trapsPassed;
    int skipped;
    final List<String> failures = new ArrayList<>();
    final Map<String, Integer> unsupported = new TreeMap<>();
  }

  @Test
  void specScriptsTranslateVerifyAndRun() throws Exception {
    assumeTrue(Files.isDirectory(SUITE.resolve("core")), "spec test suite not found at " + SUITE);
    // Deep recursion (fac, assert_exhaustion) runs on a thread with a large stack.
    AtomicReference<Throwable> error = new AtomicReference<>();
    Map<String, Counts> all = new java.util.LinkedHashMap<>();
    Thread worker = new Thread(null, () -> {
      try {
        for (String name : FILES) {
          all.put(name, runScript(name));
        }
      } catch (Throwable t) {
        error.set(t);
      }
    }, "spec-interpreter", 512L << 20);
    worker.start();
    worker.join();
    if (error.get() != null) {
      throw new AssertionError(error.get());
    }
    String report = report(all);
    System.out.println(report);
    Files.writeString(BuildFolder.buildDir().resolve("spec-translation-report.txt"), report);
    List<String> failures = new ArrayList<>();
    all.forEach((name, c) -> c.failures.forEach(f -> failures.add(name + ": " + f)));
    assertEquals(List.of(), failures.subList(0, Math.min(failures.size(), 40)),
        failures.size() + " failures");
    for (String name : INTEGER_ONLY) {
      Counts c = all.get(name);
      assertEquals(c.functions, c.translated, name + ": untranslated " + c.unsupported);
      assertTrue(c.returnsPassed > 0, name + " ran no assert_return");
    }
  }

  private static Counts runScript(String name) throws IOException {
    // Core scripts by name; proposal scripts as <proposal>/<name>, whose text (64-bit memory
    // limits and addresses) needs the 3.0 rules.
    boolean memory64 = name.startsWith("memory64/");
    Path wast = SUITE.resolve(memory64 ? "proposals/" + name + ".wast" : "core/" + name + ".wast");
    Edition edition = memory64 ? Edition.WASM_3 : Edition.WASM_2;
    Counts counts = new Counts();
    Instance current = null;
    Map<String, Instance> named = new HashMap<>();
    for (Command command : ScriptReader.read(Files.readAllBytes(wast), wast.toString(), edition).commands()) {
      long line = command.line();
      switch (command) {
        case Command.ModuleDefinition m when !m.definitionOnly() -> {
          byte[] bytes = switch (m.module()) {
            case ScriptModule.Encoded e -> e.bytes();
            case ScriptModule.Quote q -> q.encode(wast.toString(), edition);
          };
          current = load(bytes, counts, line);
          if (m.id().isPresent()) {
            named.put(m.id().get(), current);
          }
        }
        case Command.AssertReturn c -> run("assert_return", c.action(), c.results(), null, named, current, counts, line);
        case Command.Perform c -> run("action", c.action(), List.of(), null, named, current, counts, line);
        case Command.AssertTrap c -> run("assert_trap", c.action(), List.of(), c.text(), named, current, counts, line);
        case Command.AssertExhaustion c ->
            run("assert_exhaustion", c.action(), List.of(), c.text(), named, current, counts, line);
        default -> {}
      }
    }
    return counts;
  }

  /** One instantiated module (or a translated-only one when it has imports). */
  record Instance(Module module, ModuleInterpreter interpreter) {}

  private static Instance load(byte[] wasm, Counts counts, long line) {
    Module module = Wasm.load(wasm);
    counts.modules++;
    ModuleEnvironment env = new ModuleEnvironment(module);
    String[] reasons = new String[env.definedFunctionCount()];
    Function[] functions = ModuleInterpreter.translateAll(env, reasons);
    for (int d = 0; d < functions.length; d++) {
      counts.functions++;
      if (functions[d] == null) {
        String feature = reasons[d].substring(0, reasons[d].indexOf(" at 0x"));
        counts.unsupported.merge(feature, 1, Integer::sum);
        continue;
      }
      counts.translated++;
      List<VerifierError> errors = Verifier.verify(functions[d]);
      if (!errors.isEmpty()) {
        counts.failures.add("line " + line + " function " + d + " fails the verifier: " + errors);
      }
      String loc = SourceLocations.check(functions[d], module.code().get(d));
      if (loc != null) {
        counts.failures.add("line " + line + " function " + d + ": " + loc);
      }
    }
    if (!module.imports().isEmpty()) {
      return new Instance(module, null);
    }
    try {
      ModuleInterpreter interpreter = new ModuleInterpreter(env, functions, reasons);
      counts.instantiated++;
      return new Instance(module, interpreter);
    } catch (ModuleInterpreter.Untranslated e) {
      return new Instance(module, null); // its start function is not translated
    }
  }

  private static void run(String type, Action action, List<Value> results, String text,
      Map<String, Instance> named, Instance current, Counts counts, long line) {
    Instance target = action.instance().isPresent() ? named.get(action.instance().get()) : current;
    if (target == null || target.interpreter() == null || action.get()) {
      counts.skipped++;
      return;
    }
    Integer func = exportedFunction(target.module(), action.name());
    long[] args = integers(action.args());
    long[] expected = "assert_return".equals(type) ? integers(results) : new long[0];
    if (func == null || args == null || expected == null) {
      counts.skipped++;
      return;
    }
    String where = "line " + line + " " + action.name();
    try {
      long[] actual = target.interpreter().invoke(func, args, 50_000_000);
      switch (type) {
        case "assert_return" -> {
          if (sameValues(results, expected, actual)) {
            counts.returnsPassed++;
          } else {
            counts.failures.add(where + ": expected " + java.util.Arrays.toString(expected)
                + ", got " + java.util.Arrays.toString(actual));
          }
        }
        case "assert_trap", "assert_exhaustion" ->
            counts.failures.add(where + ": expected trap '" + text + "', returned");
        default -> counts.returnsPassed++; // a plain action that completed
      }
    } catch (ModuleInterpreter.Untranslated | UnsupportedFeatureException e) {
      counts.skipped++;
    } catch (Interpreter.Trap t) {
      if (("assert_trap".equals(type) || "assert_exhaustion".equals(type))
          && text.startsWith(specText(t.code()))) {
        counts.trapsPassed++;
      } else {
        counts.failures.add(where + ": " + type + " trapped " + t.code().text()
            + (text == null ? "" : ", expected '" + text + "'"));
      }
    }
  }

  /** The spec suite's text for a trap (spec test conventions). */
  private static String specText(TrapCode code) {
    return switch (code) {
      case HEAP_OUT_OF_BOUNDS -> "out of bounds memory access";
      case INTEGER_DIVISION_BY_ZERO -> "integer divide by zero";
      case INTEGER_OVERFLOW -> "integer overflow";
      case UNREACHABLE -> "unreachable";
      case STACK_OVERFLOW -> "call stack exhausted";
      default -> code.text();
    };
  }

  private static Integer exportedFunction(Module module, String name) {
    for (Export e : module.exports()) {
      if (e.kind() == ExternKind.FUNC && e.name().equals(name)) {
        return e.index() >= module.importedFunctionCount() ? e.index() : null;
      }
    }
    return null;
  }

  /** Integer values as longs (i32 sign-extended), or null when any is not an integer. */
  private static long[] integers(List<Value> values) {
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(values.get(i) instanceof Value.Num n)) {
        return null;
      }
      switch (n.type()) {
        case "i32" -> out[i] = (int) n.bits();
        case "i64" -> out[i] = n.bits();
        default -> {
          return null;
        }
      }
    }
    return out;
  }

  private static boolean sameValues(List<Value> types, long[] expected, long[] actual) {
    if (expected.length != actual.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      boolean i32 = ((Value.Num) types.get(i)).type().equals("i32");
      if (i32 ? (int) expected[i] != (int) actual[i] : expected[i] != actual[i]) {
        return false;
      }
    }
    return true;
  }

  private static String report(Map<String, Counts> all) {
    StringBuilder sb = new StringBuilder(String.format(
        "%-30s %7s %6s %9s %10s %7s %6s %7s %8s  %s%n", "script", "modules", "inst", "functions",
        "translated", "returns", "traps", "skipped", "failures", "unsupported operators"));
    Counts total = new Counts();
    all.forEach((name, c) -> {
      sb.append(String.format("%-30s %7d %6d %9d %10d %7d %6d %7d %8d  %s%n", name, c.modules,
          c.instantiated, c.functions, c.translated, c.returnsPassed, c.trapsPassed, c.skipped,
          c.failures.size(), c.unsupported));
      total.modules += c.modules;
      total.instantiated += c.instantiated;
      total.functions += c.functions;
      total.translated += c.translated;
      total.returnsPassed += c.returnsPassed;
      total.trapsPassed += c.trapsPassed;
      total.skipped += c.skipped;
      total.failures.addAll(c.failures);
    });
    sb.append(String.format("%-30s %7d %6d %9d %10d %7d %6d %7d %8d%n", "total", total.modules,
        total.instantiated, total.functions, total.translated, total.returnsPassed,
        total.trapsPassed, total.skipped, total.failures.size()));
    return sb.toString();
  }
}
