package dev.kiln.runtime.tools;

import dev.kiln.codegen.Backend;
import dev.kiln.codegen.regalloc.RegAllocator;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.emit.FunctionEmitter;
import dev.kiln.codegen.x64.lower.Lowering;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.compiler.inline.Inliner;
import dev.kiln.compiler.link.LinkedText;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.UnscannedModule;
import java.util.Locale;
import java.util.Optional;

/**
 * Kiln's single-threaded compile of one module split into phases, each run over every defined
 * function on its own so its time is its own: decode, validate, translate (wasm to IR and the IR
 * passes), inline (small callees into their callers, before the callers' passes, when the options
 * inline), then for x86-64 lower (IR to VCode), regalloc ({@link RegAllocator#allocate} on that
 * VCode) and emit (frame and machine code: {@link FunctionEmitter#emit}, which allocates again,
 * minus the regalloc time), for another backend one codegen phase ({@link Backend#compileFunction}),
 * then link and write (the ELF image). Functions the translator refuses are left out of every
 * phase. {@code kiln compile -v} ({@link Compilations#phases}) and {@code bench/run compile} print it.
 *
 * @param nanos per phase, in {@link Phase} order; -1 for a phase this backend does not split out
 */
public record CompilePhases(long[] nanos) {
  enum Phase {
    DECODE, VALIDATE, TRANSLATE, INLINE, LOWER, REGALLOC, EMIT, CODEGEN, LINK, WRITE
  }

  private static final long NOT_MEASURED = -1;

  /**
   * Compiles {@code wasm} (valid, and compilable by {@code backend}) phase by phase, with the code
   * settings of {@code options} on one thread.
   */
  public static CompilePhases measure(byte[] wasm, Backend backend, CompileOptions options) {
    long[] t = new long[Phase.values().length];
    long t0 = System.nanoTime();
    // As Wasm.load does for a module that loads: the bodies' instructions are read by validation only.
    UnscannedModule unscanned = Wasm.decodeUnscanned(wasm, Features.ALL);
    long t1 = System.nanoTime();
    Module module = Wasm.validateUnscanned(unscanned, Features.ALL, 1);
    long t2 = System.nanoTime();
    t[Phase.DECODE.ordinal()] = t1 - t0;
    t[Phase.VALIDATE.ordinal()] = t2 - t1;
    if (backend instanceof X64Backend) {
      t[Phase.CODEGEN.ordinal()] = NOT_MEASURED;
    } else {
      t[Phase.LOWER.ordinal()] = NOT_MEASURED;
      t[Phase.REGALLOC.ordinal()] = NOT_MEASURED;
      t[Phase.EMIT.ordinal()] = NOT_MEASURED;
    }
    ModuleEnvironment env = Compiler.environment(module, backend, options);
    Optional<Inliner> inliner = options.inlining() ? Optional.of(new Inliner(env)) : Optional.empty();
    if (inliner.isEmpty()) {
      t[Phase.INLINE.ordinal()] = NOT_MEASURED;
    }
    ReusedGraph graphs = new ReusedGraph(); // one worker's, as Compiler's are
    // One compile's call places, shared by its functions as Compiler's backend shares them.
    var callPlaces = Lowering.newCallPlaces();
    Backend oneCompile = backend.forOneCompile();
    for (int d = 0; d < env.definedFunctionCount(); d++) {
      long a = System.nanoTime();
      Function ir;
      try {
        // With inlining, as Inliner.translate does: optimised once, after inlining.
        ir = inliner.isPresent() ? FuncTranslator.translateUnoptimised(env, d, graphs)
            : FuncTranslator.translateForCompile(env, d, graphs);
      } catch (UnsupportedFeatureException e) {
        continue;
      }
      long translated = System.nanoTime();
      t[Phase.TRANSLATE.ordinal()] += translated - a;
      if (inliner.isPresent()) {
        inliner.get().inlineCalls(ir);
        long inlined = System.nanoTime();
        t[Phase.INLINE.ordinal()] += inlined - translated;
        FuncTranslator.optimise(ir);
        t[Phase.TRANSLATE.ordinal()] += System.nanoTime() - inlined;
      }
      long b = System.nanoTime();
      if (backend instanceof X64Backend x64) {
        var lowered = Lowering.lower(ir, x64.features(), callPlaces);
        long c = System.nanoTime();
        RegAllocator.allocate(lowered.vcode(), FunctionEmitter.MACHINE_ENV);
        long e = System.nanoTime();
        FunctionEmitter.emit(lowered, false);
        long f = System.nanoTime();
        t[Phase.LOWER.ordinal()] += c - b;
        t[Phase.REGALLOC.ordinal()] += e - c;
        t[Phase.EMIT.ordinal()] += Math.max(0, (f - e) - (e - c));
      } else {
        oneCompile.compileFunction(ir);
        t[Phase.CODEGEN.ordinal()] += System.nanoTime() - b;
      }
      graphs.giveBack(ir);
    }
    try (CompiledModule compiled = Compiler.compile(module, backend, options.withJobs(1))) {
      long l0 = System.nanoTime();
      LinkedText linked = ArtifactEmitter.link(compiled);
      long l1 = System.nanoTime();
      ArtifactEmitter.emit(compiled, linked, "phases");
      long l2 = System.nanoTime();
      t[Phase.LINK.ordinal()] = l1 - l0;
      t[Phase.WRITE.ordinal()] = l2 - l1;
    }
    return new CompilePhases(t);
  }

  /** {@code "T ms = decode N ms (P%) validate ..."}, the measured phases in order. */
  public String describe() {
    long total = 0;
    for (long n : nanos) {
      total += Math.max(0, n);
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.0f ms =", total / 1e6));
    for (Phase p : Phase.values()) {
      long n = nanos[p.ordinal()];
      if (n != NOT_MEASURED) {
        sb.append(String.format(Locale.ROOT, " %s %.0f ms (%.0f%%)", p.name().toLowerCase(Locale.ROOT), n / 1e6,
            100.0 * n / total));
      }
    }
    return sb.toString();
  }
}
