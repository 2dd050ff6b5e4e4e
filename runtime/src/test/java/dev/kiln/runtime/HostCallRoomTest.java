package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.sys.ThreadStack;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host function a guest calls at the deepest point compiled code lets it reach still has {@code
 * ThreadStack.LINK} bytes of stack, less the host-call dispatch's own frames: room for the first
 * link of any call site on its path (a WASI function's lambdas, say), which, overflowing in the
 * JDK's bootstrap, would fail for the JVM's life (JVMS 5.4.3.6; issue 35, red team 23 F1). The
 * stack floor compiled code checks against keeps that room ({@code NativeStore.DEFAULT_HEADROOM}).
 */
class HostCallRoomTest {
  private static final String WAT = """
      (module
        (import "host" "room" (func $room))
        (func $down (export "down") (param i32 i32)
          (if (local.get 0)
            (then (call $down (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))
            (else (if (local.get 1) (then (call $room)))))))
      """;
  /** The dispatch's frames between the guest and the host function's body: a few KiB, with room to spare. */
  private static final long DISPATCH = 16 * 1024;

  @Test
  void aHostFunctionCalledAtTheDeepestWasmHasRoomToLink() throws Exception {
    long[] least = {Long.MAX_VALUE};
    int[] calls = {0};
    Throwable[] failed = {null};
    Engine engine = Engine.create();
    try (Store store = new Store(engine)) {
      Linker linker = new Linker(store).func("host", "room", new FuncType(List.of(), List.of()), (caller, args) -> {
        least[0] = Math.min(least[0], ThreadStack.remaining());
        calls[0]++;
        return List.of();
      });
      Func down = linker.instantiate(WasmModule.compile(engine, dev.kiln.wat.Wat.toBinary(WAT, "room.wat"))).func("down");
      // A stack small enough that the floor, not the wasm stack budget (512 KiB), bounds the guest.
      Thread small = new Thread(null, () -> {
        try {
          int low = StackEndSweep.deepestWithoutTrap(n -> down.call(Val.i32(n), Val.i32(0)));
          // 256 levels: a deepest level found while the path ran interpreted traps once it is
          // compiled, or under load the other way round, so the window is wide enough for 32 calls
          for (int n = low; n > low - 256; n--) {
            try {
              down.call(Val.i32(n), Val.i32(1));
            } catch (Trap exhausted) {
              // the host call's own frame did not fit: one level up it does
            }
          }
        } catch (Throwable t) {
          failed[0] = t;
        }
      }, "small-stack", 640 * 1024);
      small.start();
      small.join();
    }
    assertNull(failed[0]);
    assertTrue(calls[0] > 32, calls[0] + " host calls");
    assertTrue(least[0] >= ThreadStack.LINK - DISPATCH,
        "a host call at the deepest wasm had " + least[0] + " bytes above the JVM's zones, fewer than "
            + (ThreadStack.LINK - DISPATCH));
  }
}
