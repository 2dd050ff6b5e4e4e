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

  /**
   * Issue 35, red-team finding F3, through the embedding API: a guest writing 12 MiB per fd_write
   * to an embedder's stream in a loop. The stream advances the epoch past the deadline at its first
   * write, so the deadline passes inside the call: the call returns after that one 64 KiB piece
   * (a short count) and the guest's loop traps {@code interrupt}. The bytes the stream received
   * count the work; without the check between pieces the first call writes all 12 MiB.
   */
  @Test
  void anEpochDeadlineEndsALongWriteAfterOnePiece() throws Exception {
    int entries = 192; // of 64 KiB each, all over the one page: 12 MiB per call
    String iovec = "\\00\\00\\00\\00\\00\\00\\01\\00"; // buf 0, len 65536
    byte[] wasm = Wat.toBinaryWithNames("""
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 0) "%s")
          (func (export "_start")
            (loop $l (drop (call $write (i32.const 1) (i32.const 0) (i32.const %d) (i32.const 65520))) (br $l))))
        """.formatted(iovec.repeat(entries), entries), "test.wat");
    Engine engine = Engine.builder().epochInterruption(true).build();
    long[] received = new long[1];
    java.io.OutputStream stream = new java.io.OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        if (received[0] == 0) {
          engine.incrementEpoch();
        }
        received[0] += len;
      }
    };
    try (Store store = new Store(engine); WasmModule module = WasmModule.compile(engine, wasm)) {
      store.setEpochDeadline(1);
      Func start = new Linker(store).wasi(WasiOptions.builder().stdout(stream).build()).instantiate(module).func("_start");
      Trap trap = assertThrows(Trap.class, () -> start.call());
      assertEquals("interrupt", trap.reason());
      assertEquals(64 * 1024, received[0], "one piece, then the deadline");
    }
  }
}
