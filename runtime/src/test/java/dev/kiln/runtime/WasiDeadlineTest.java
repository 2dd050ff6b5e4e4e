package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

/**
 * The embedding API's epoch deadline bounds a WASI guest that waits in the host (issue 35, finding
 * 4): a guest in poll_oneoff on a clock due in 2^64 - 1 ns returns from its call with the {@code
 * interrupt} trap once the engine's epoch passes the store's deadline. The epoch is advanced only
 * after the calling thread has parked inside the host call (its state, not a time, says so), so the
 * trap is the wait's and not the entry check's.
 */
class WasiDeadlineTest {
  @Test
  void anEpochDeadlineEndsAGuestSleepingInPollOneoff() throws Exception {
    byte[] wasm = Wat.toBinaryWithNames("""
        (module
          (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          ;; a monotonic clock subscription (id 1 at 16) with a relative timeout of u64 max (at 24)
          (data (i32.const 16) "\\01\\00\\00\\00\\00\\00\\00\\00\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff")
          (func (export "_start") (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))))
        """, "test.wat");
    Engine engine = Engine.builder().epochInterruption(true).build();
    try (Store store = new Store(engine); WasmModule module = WasmModule.compile(engine, wasm)) {
      store.setEpochDeadline(1);
      Func start = new Linker(store).wasi(WasiOptions.builder().build()).instantiate(module).func("_start");
      Thread guest = Thread.currentThread();
      Thread ticker = Thread.ofPlatform().daemon().start(() -> {
        while (guest.getState() == Thread.State.RUNNABLE) {
          Thread.onSpinWait();
        }
        engine.incrementEpoch();
      });
      Trap trap = assertThrows(Trap.class, () -> start.call());
      assertEquals("interrupt", trap.reason());
      ticker.join();
    }
  }
}
