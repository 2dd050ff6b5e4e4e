package dev.kiln.bench;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run interrupt-latency [ROUNDS]}: how soon an endless guest stops once the epoch
 * reaches its store's deadline, on each target this host runs (x86-64 natively, AArch64 on the
 * Unicorn executor). Two guests, {@code (loop (br 0))} and a loop that calls an empty function; for
 * each, ROUNDS calls (default 21, after 5 unmeasured ones) in which a thread advances the epoch 100
 * ms into the call and reads {@link System#nanoTime()} just before; the time from there until the
 * call's {@code interrupt} trap has reached Java (trap stub, unwinding, the {@link TrapException}), median
 * and maximum. On a loaded machine it mostly measures how soon the two threads get a core.
 */
public final class InterruptLatency {
  private static final ExecutionLimits EPOCHS = new ExecutionLimits(true, false);
  private static final int WARMUP = 5;

  private InterruptLatency() {}

  public static void main(String[] args) throws Exception {
    int rounds = BenchArguments.parse("interrupt-latency", "[ROUNDS]", args,
        a -> a.hasNext() ? a.count("ROUNDS", a.next()) : 21);
    byte[] wasm = endlessModule();
    for (Target target : Target.values()) {
      if (!Executors.canRun(target)) {
        System.out.println(target + ": not runnable on this host");
        continue;
      }
      Backend backend = target == Target.X86_64 ? X64Backend.forHost() : new AArch64Backend(false);
      CompiledModule compiled = Compiler.compile(Wasm.load(wasm), backend, CompileOptions.defaults().withLimits(EPOCHS));
      byte[] artifact = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "bench");
      try (NativeStore store = new NativeStore(); LoadedModule module = LoadedModule.fromBytes(artifact, null, EPOCHS);
          LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
        for (String export : List.of("spin", "callLoop")) {
          long[] nanos = new long[rounds];
          for (int i = -WARMUP; i < rounds; i++) {
            long latency = interruptOnce(store, instance, export);
            if (i >= 0) {
              nanos[i] = latency;
            }
          }
          Arrays.sort(nanos);
          System.out.printf(Locale.ROOT, "%-8s %-9s epoch advanced -> trap in Java: median %.3f ms, max %.3f ms (%d calls)%n",
              target, export, nanos[rounds / 2] / 1e6, nanos[rounds - 1] / 1e6, rounds);
        }
      }
    }
  }

  /** One call of {@code export} interrupted 100 ms in; nanoseconds from the increment to the trap. */
  private static long interruptOnce(NativeStore store, LoadedInstance instance, String export) throws InterruptedException {
    store.setEpochDeadline(1);
    long[] advanced = new long[1];
    Thread timer = Thread.ofPlatform().start(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      advanced[0] = System.nanoTime();
      store.epoch().increment();
    });
    long trapped;
    try {
      instance.invoke(export);
      throw new IllegalStateException(export + " returned");
    } catch (TrapException trap) {
      trapped = System.nanoTime();
      if (trap.code() != TrapCode.INTERRUPT) {
        throw trap;
      }
    }
    timer.join();
    return trapped - advanced[0];
  }

  /**
   * {@code (module (func $spin (export "spin") (loop (br 0))) (func (export "callLoop") (loop (call
   * $empty) (br 0))) (func $empty))}, in the binary format (spec 5.5).
   */
  static byte[] endlessModule() {
    ModuleWriter out = new ModuleWriter();
    out.section(ModuleWriter.TYPE, new WasmWriter().raw(0x01, 0x60, 0x00, 0x00)); // one type: [] -> []
    out.section(ModuleWriter.FUNCTION, new WasmWriter().raw(0x03, 0x00, 0x00, 0x00)); // three functions of type 0
    WasmWriter exports = new WasmWriter().u8(2)
        .name("spin").raw(0x00, 0x00)
        .name("callLoop").raw(0x00, 0x01);
    out.section(ModuleWriter.EXPORT, exports);
    out.section(ModuleWriter.CODE, new WasmWriter().raw(0x03,
        0x07, 0x00, 0x03, 0x40, 0x0C, 0x00, 0x0B, 0x0B, // loop br 0 end end
        0x09, 0x00, 0x03, 0x40, 0x10, 0x02, 0x0C, 0x00, 0x0B, 0x0B, // loop call 2 br 0 end end
        0x02, 0x00, 0x0B)); // end
    return out.toByteArray();
  }
}
