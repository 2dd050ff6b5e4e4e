package dev.kiln.tests.backend;

import dev.kiln.codegen.regalloc.MachineEnv;
import dev.kiln.codegen.regalloc.RegAllocOutput;
import dev.kiln.codegen.regalloc.RegAllocator;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.testsupport.TextShape;
import dev.kiln.compiler.testsupport.ThreadAllocation;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Assertions;

/**
 * One target's lowering and its register allocator's registers, for the tests that count the
 * compiler's work on a shape instead of timing it ({@link BrTableValuesWorkTest}, {@link
 * HandlerShapeWorkTest}, {@link DeadBlockLivenessTest}, {@link TableShapeWorkTest}): x86-64 for the
 * baseline CPU, so the count is the same on every host.
 */
enum LoweringTarget {
  X86_64 {
    @Override
    VCode<?> lower(Function f) {
      return dev.kiln.codegen.x64.lower.Lowering.lower(f, CpuFeatures.baseline()).vcode();
    }

    @Override
    MachineEnv env() {
      return dev.kiln.codegen.x64.emit.FunctionEmitter.MACHINE_ENV;
    }
  },
  AARCH64 {
    @Override
    VCode<?> lower(Function f) {
      return dev.kiln.codegen.aarch64.lower.Lowering.lower(f).vcode();
    }

    @Override
    MachineEnv env() {
      return dev.kiln.codegen.aarch64.emit.FunctionEmitter.MACHINE_ENV;
    }
  };

  /** The function's VCode, before register allocation. */
  abstract VCode<?> lower(Function f);

  /** The registers the allocator hands out on this target. */
  abstract MachineEnv env();

  /** What the register allocator counted while allocating {@code vcode}. */
  RegAllocOutput.Stats allocationStats(VCode<?> vcode) {
    return RegAllocator.allocate(vcode, env()).stats();
  }

  /** What the register allocator counted on the module {@code wat}'s last function, a shape's. */
  RegAllocOutput.Stats shapeStats(String wat) {
    return allocationStats(lower(lastFunction(wat)));
  }

  /**
   * The bytes the register allocator allocates on the module {@code wat}'s last function, apart from
   * the spill-store analysis's sets ({@link RegAllocOutput.Stats#slotHoldingWords}): those are blocks
   * x spilled vregs, quadratic by design up to a bound of their own, which {@code
   * HostileShapeWorkTest} counts; here they would hide what the rest costs.
   */
  long allocatorBytes(String wat) {
    VCode<?> vcode = lower(lastFunction(wat));
    ThreadAllocation allocation = ThreadAllocation.start();
    RegAllocOutput.Stats stats = allocationStats(vcode);
    return allocation.bytes() - Long.BYTES * stats.slotHoldingWords();
  }

  /** What compiling a module costs on a target: units of work, or bytes. */
  interface Cost {
    long of(LoweringTarget target, String wat);
  }

  /** The cost {@code counted} reads from what the allocator counted on the shape ({@link #shapeStats}). */
  static Cost counting(ToLongFunction<RegAllocOutput.Stats> counted) {
    return (target, wat) -> counted.applyAsLong(target.shapeStats(wat));
  }

  /**
   * Counts {@code cost} of each shape at {@code n} and {@code 4n} on every target, and fails naming
   * every shape and target whose count at 4n is more than {@code bound} times that at n (or is
   * nothing at n). The count at n is taken again after the one at 4n, and that one used: the first
   * run of a shape also loads classes, whose bytes a count of memory must leave out.
   */
  static void assertGrowthAtMost(double bound, int n, Cost cost, TextShape... shapes) {
    List<String> over = new ArrayList<>();
    for (TextShape shape : shapes) {
      for (LoweringTarget target : values()) {
        cost.of(target, shape.text(n));
        long large = cost.of(target, shape.text(4 * n));
        long small = cost.of(target, shape.text(n));
        if (small <= 0 || large > bound * small) {
          over.add(shape.name() + " on " + target + ": " + small + " at " + n + ", " + large + " at " + 4 * n
              + " (" + String.format("%.1f", (double) large / small) + "x)");
        }
      }
    }
    Assertions.assertTrue(over.isEmpty(), "grew more than " + bound + "x from n to 4n: "
        + String.join("; ", over));
  }

  private static Function lastFunction(String wat) {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(Wat.toBinaryWithNames(wat, "shape.wat")));
    return FuncTranslator.translate(env, env.definedFunctionCount() - 1);
  }
}
