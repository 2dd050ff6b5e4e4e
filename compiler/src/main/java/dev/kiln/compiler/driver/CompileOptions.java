package dev.kiln.compiler.driver;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.MemoryGuard;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How to compile. {@code jobs} only changes how fast code is produced (output is identical for every
 * value); {@code refusedFunctionsTrap} changes the code, so {@link #codeSettings()} records it in
 * the compat header when set. Any other option that changes code must be added there too.
 *
 * <p>{@code tableLazyInit} (default true, as Wasmtime's {@code table_lazy_init}) compiles funcref
 * table reads for slots that start uninitialised and are filled on first use by compiled code
 * (compiler.translate.LazyTableInitBuiltin); false compiles plain slots the loader fills at
 * instantiation. The two slot representations differ, so the setting is in the compat header and
 * a loader or linker refuses to mix them.
 *
 * <p>{@code limits} (default none) compiles epoch-deadline and fuel checks into every function
 * (artifact.vm.ExecutionLimits, compiler.translate.InterruptChecks); recorded in the compat header,
 * and a runtime asking for other limits refuses the artifact.
 *
 * <p>{@code inlining} (default true) inlines small direct callees (compiler.inline.Inliner); false
 * compiles every call as a call, recorded as {@value #INLINING}{@code =false} so an artifact
 * compiled without it is never mistaken for one with it.
 *
 * <p>{@code timeout} (default none) bounds how long {@link Compiler#compile} may take ({@link
 * #withTimeout}), for modules from someone the caller does not trust.
 *
 * <p>{@code memoryGuard} (default {@link MemoryGuard#DEFAULT}) leaves the bounds checks of 32-bit
 * memory accesses whose static offset the loader's guard region covers to the hardware
 * (artifact.vm.MemoryGuard); {@link MemoryGuard#NONE} checks every access in the code.
 *
 * @param jobs how many functions to compile at once, at least 1
 * @param refusedFunctionsTrap instead of failing on a function the translator or backend refuses,
 *     compile a stub in its place that traps with {@code TrapCode.UNSUPPORTED}, and list the refusal
 *     in {@link CompiledModule#refusals()}. For the spec-test runner, which can then execute every
 *     command that does not reach such a function; {@code kiln compile} never sets it, so a user's
 *     artifact never holds a function that silently does something other than its wasm
 */
public record CompileOptions(int jobs, boolean refusedFunctionsTrap, boolean tableLazyInit, ExecutionLimits limits,
    MemoryGuard memoryGuard, boolean inlining, Optional<Duration> timeout) {
  /** The compat-header setting that records {@link #tableLazyInit()} ({@code "true"}/{@code "false"}). */
  public static final String TABLE_LAZY_INIT = dev.kiln.artifact.vm.TableStorage.LAZY_INIT_SETTING;
  /** The compat-header setting present ({@code "false"}) when {@link #inlining()} is off. */
  public static final String INLINING = "kiln.inlining";

  public CompileOptions {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
    }
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(memoryGuard, "memoryGuard");
    Objects.requireNonNull(timeout, "timeout");
    timeout.ifPresent(t -> {
      if (t.isNegative()) {
        throw new IllegalArgumentException("the compile timeout must not be negative, got " + t);
      }
    });
  }

  /** {@code jobs} threads; a refused function fails the compile. */
  public CompileOptions(int jobs) {
    this(jobs, false);
  }

  /** {@code jobs} threads, lazily initialised tables, no epoch or fuel checks. */
  public CompileOptions(int jobs, boolean refusedFunctionsTrap) {
    this(jobs, refusedFunctionsTrap, true, ExecutionLimits.NONE, MemoryGuard.DEFAULT, true, Optional.empty());
  }

  /** These options, but refused functions become trapping stubs. */
  public CompileOptions withRefusedFunctionsTrap() {
    return new CompileOptions(jobs, true, tableLazyInit, limits, memoryGuard, inlining, timeout);
  }

  /** These options with funcref tables lazily initialised ({@code true}) or filled at instantiation. */
  public CompileOptions withTableLazyInit(boolean lazy) {
    return new CompileOptions(jobs, refusedFunctionsTrap, lazy, limits, memoryGuard, inlining, timeout);
  }

  /** These options with the epoch and fuel checks of {@code limits} in every function. */
  public CompileOptions withLimits(ExecutionLimits limits) {
    return new CompileOptions(jobs, refusedFunctionsTrap, tableLazyInit, limits, memoryGuard, inlining, timeout);
  }

  /** These options with small direct callees inlined ({@code true}) or every call kept. */
  public CompileOptions withInlining(boolean inline) {
    return new CompileOptions(jobs, refusedFunctionsTrap, tableLazyInit, limits, memoryGuard, inline, timeout);
  }

  /** These options on {@code jobs} threads. */
  public CompileOptions withJobs(int jobs) {
    return new CompileOptions(jobs, refusedFunctionsTrap, tableLazyInit, limits, memoryGuard, inlining, timeout);
  }

  /** These options with 32-bit memory accesses checked by {@code guard} (none: explicit checks). */
  public CompileOptions withMemoryGuard(MemoryGuard guard) {
    return new CompileOptions(jobs, refusedFunctionsTrap, tableLazyInit, limits, guard, inlining, timeout);
  }

  /**
   * These options with a bound on the compile's time: {@link Compiler#compile} stops with a {@link
   * dev.kiln.deadline.CompileTimeoutException} once {@code timeout} has passed since it began. It
   * does not change the code, so it is no code setting.
   */
  public CompileOptions withTimeout(Duration timeout) {
    return new CompileOptions(jobs, refusedFunctionsTrap, tableLazyInit, limits, memoryGuard, inlining,
        Optional.of(timeout));
  }

  /**
   * These options as they apply to code for {@code target}: a memory guard only where the runtime
   * turns its faults into traps ({@link MemoryGuard#on}).
   */
  public CompileOptions forTarget(Target target) {
    return withMemoryGuard(memoryGuard.on(target));
  }

  /** One job per available processor. */
  public static CompileOptions defaults() {
    return new CompileOptions(Runtime.getRuntime().availableProcessors());
  }

  /** The options that change code, for the compat header. */
  public Map<String, String> codeSettings() {
    Map<String, String> settings = new TreeMap<>(limits.settings());
    settings.putAll(memoryGuard.settings());
    settings.put(TABLE_LAZY_INIT, Boolean.toString(tableLazyInit));
    if (refusedFunctionsTrap) {
      settings.put("kiln.refused_functions", "trap");
    }
    if (!inlining) {
      settings.put(INLINING, "false");
    }
    return settings;
  }
}
