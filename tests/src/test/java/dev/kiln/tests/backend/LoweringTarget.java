package dev.kiln.tests.backend;

import dev.kiln.codegen.regalloc.MachineEnv;
import dev.kiln.codegen.regalloc.RegAllocOutput;
import dev.kiln.codegen.regalloc.RegAllocator;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.testsupport.ThreadAllocation;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;

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

  /** The bytes the register allocator allocates on the module {@code wat}'s last function. */
  long allocatorBytes(String wat) {
    VCode<?> vcode = lower(lastFunction(wat));
    ThreadAllocation allocation = ThreadAllocation.start();
    allocationStats(vcode);
    return allocation.bytes();
  }

  private static Function lastFunction(String wat) {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(Wat.toBinaryWithNames(wat, "shape.wat")));
    return FuncTranslator.translate(env, env.definedFunctionCount() - 1);
  }
}
