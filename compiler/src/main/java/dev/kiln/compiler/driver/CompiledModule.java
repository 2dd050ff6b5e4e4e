package dev.kiln.compiler.driver;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.compiler.link.CompiledFunctions;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.regalloc.MoveCounts;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything compiled for one module, before linking.
 *
 * @param environment the module and its VMContext layout
 * @param target the backend's instruction set
 * @param settings every code-changing setting: the backend's plus the compile options'
 * @param functions every compiled function by key (wasm functions, trampolines, the trap handler),
 *     a large module's kept in a file until the link reads them ({@link Compiler}, "Memory"), which
 *     {@link #close} frees
 * @param roots the keys the linker must keep (see {@link Compiler} for which)
 * @param refusals the functions compiled as trapping stubs because the translator or backend
 *     refused them, by function index (imports first), each with the refusal's message; empty unless
 *     {@link CompileOptions#refusedFunctionsTrap()} was set
 * @param inlinedAway the defined functions not compiled because every call of them was inlined and
 *     the host cannot enter them: unreachable, as the linker's dropped functions are
 */
public record CompiledModule(
    ModuleEnvironment environment,
    Target target,
    SortedMap<String, String> settings,
    CompiledFunctions functions,
    List<FuncKey> roots,
    SortedMap<Integer, String> refusals,
    List<FuncKey> inlinedAway) implements AutoCloseable {
  public CompiledModule {
    settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    roots = List.copyOf(roots);
    refusals = Collections.unmodifiableSortedMap(new TreeMap<>(refusals));
    inlinedAway = List.copyOf(inlinedAway);
  }

  /** The moves register allocation left in all functions together ({@link CompiledFunction#moveCounts()}). */
  public MoveCounts moveCounts() {
    MoveCounts sum = MoveCounts.NONE;
    for (int i = 0; i < functions.size(); i++) {
      sum = sum.plus(functions.held(i).moveCounts());
    }
    return sum;
  }

  /** Total machine code bytes before linking. */
  public long codeSize() {
    long n = 0;
    for (int i = 0; i < functions.size(); i++) {
      n += functions.held(i).codeSize();
    }
    return n;
  }

  /** Frees the file the functions are kept in, if they are ({@link CompiledFunctions#close}). */
  @Override
  public void close() {
    functions.close();
  }
}
