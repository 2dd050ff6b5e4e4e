package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.LoweredFunction;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/**
 * A function's IR is let go once it is lowered, before its registers are allocated: the lowered
 * function holds nothing of it, and no frame of the compile does, so a huge function's graph (one
 * past {@link ReusedGraph#MAX_KEPT_BYTES}, which no worker keeps) is freed while the allocator holds
 * the most: a function of 128,000 {@code struct.new}s needed a 1.8 GB heap with its graph held to
 * the end, and 1.3 GB without.
 */
class HugeFunctionIrReleaseTest {
  /**
   * {@code struct.new} and {@code struct.get}, each a call and its join in the IR: a large graph. It
   * ends in both tail calls, whose emitters run the ISA's steps at emission (and held the lowering,
   * so the IR, once).
   */
  private static final String WAT = "(module (type $s (struct (field i32))) (type $v (func))"
      + "(global $g (mut i32) (i32.const 0)) (table 1 funcref)"
      + "(func $f (export \"f\") (type $v)"
      + "(global.set $g (struct.get $s 0 (struct.new $s (global.get $g))))".repeat(6_000)
      + "(if (global.get $g) (then (return_call $f)))"
      + "(return_call_indirect (type $v) (i32.const 0))))";

  /** More instructions than the module's builtins have, fewer than its function. */
  private static final int HUGE_INSTS = 10_000;

  @Test
  void aHugeFunctionsGraphIsFreedBeforeItsRegistersAreAllocated() {
    Module module = Wasm.load(Wat.toBinary(WAT, "huge.wat"));
    for (Backend real : ForwardingBackend.BOTH_TARGETS) {
      WatchingBackend watching = new WatchingBackend(real);
      Compiler.compile(module, watching, new CompileOptions(1), CompileProgress.NONE, 0);
      String target = real.target().name();
      assertEquals(1, watching.hugeEmitted, target);
      // (a graph within ReusedGraph.MAX_KEPT_BYTES is kept for the worker's next function, so a
      // failure here may also mean the function no longer makes a graph past it)
      assertEquals(0, watching.hugeHeld,
          target + ": the function's graph or layout is reachable while it is emitted");
    }
  }

  /**
   * Notes the graph and layout of each function of more than {@link #HUGE_INSTS} instructions it
   * lowers and, before emitting it, collects garbage until both are gone or ten collections have not
   * freed them.
   */
  private static final class WatchingBackend extends ForwardingBackend {
    private WeakReference<DataFlowGraph> huge;
    private WeakReference<Layout> hugeLayout;
    int hugeEmitted;
    int hugeHeld;

    WatchingBackend(Backend backend) {
      super(backend);
    }

    @Override
    public LoweredFunction lower(Function function) {
      boolean watched = function.dfg().instCount() > HUGE_INSTS;
      huge = watched ? new WeakReference<>(function.dfg()) : null;
      hugeLayout = watched ? new WeakReference<>(function.layout()) : null;
      return super.lower(function);
    }

    @Override
    public CompiledFunction emit(LoweredFunction function) {
      if (huge != null) {
        for (int i = 0; i < 10 && (huge.get() != null || hugeLayout.get() != null); i++) {
          System.gc();
        }
        hugeEmitted++;
        hugeHeld += huge.get() == null && hugeLayout.get() == null ? 0 : 1;
        huge = null;
        hugeLayout = null;
      }
      return super.emit(function);
    }
  }
}
