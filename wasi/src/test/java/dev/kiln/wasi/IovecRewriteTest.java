package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestIovecs;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 35, finding 1, as an attacker writes it: a file read whose first bytes land on the call's
 * own iovec array, rewriting an entry that the host had not used yet so that it points outside the
 * guest's memory. The guest's memory here is the first 256 KiB of a larger native block whose last
 * 64 KiB are a canary no call may write (as host memory next to a real guest memory is); a read
 * that used the rewritten entry would put file bytes there. Each call must take its iovecs once:
 * the canary stays as it was and the read reports only what the checked entries hold.
 */
class IovecRewriteTest {
  private static final int MEMORY = 256 * 1024;
  private static final int CANARY = 64 * 1024;
  private static final byte CANARY_BYTE = (byte) 0xA5;

  @TempDir Path dir;

  @Test
  void fileBytesThatRewriteALaterIovecCannotMoveTheRead() throws Exception {
    assertAttackHeld(false);
  }

  @Test
  void preadToo() throws Exception {
    assertAttackHeld(true);
  }

  private void assertAttackHeld(boolean positioned) throws Exception {
    MemorySegment block = Arena.ofAuto().allocate(MEMORY + CANARY, 4096);
    MemorySegment memory = block.asSlice(0, MEMORY);
    MemorySegment canary = block.asSlice(MEMORY, CANARY);
    canary.fill(CANARY_BYTE);
    GuestMemory m = new GuestMemory(memory);

    // The array: entry 0 covers entry 1,024 (so the first 8 file bytes become entry 1,024), entries
    // 1..1,023 one scratch byte each, entry 1,024 a checked 64-byte buffer.
    int entries = GuestIovecs.MAX_ENTRIES + 1;
    int array = 4096;
    int scratch = 64 * 1024;
    int honest = 128 * 1024;
    int victim = array + GuestIovecs.MAX_ENTRIES * Layouts.IOVEC_SIZE;
    m.putI32(array, victim);
    m.putI32(array + 4, 8);
    for (int i = 1; i < GuestIovecs.MAX_ENTRIES; i++) {
      m.putI32(array + i * 8, scratch + i);
      m.putI32(array + i * 8 + 4, 1);
    }
    m.putI32(victim, honest);
    m.putI32(victim + 4, 64);

    // The file: the forged entry {outside the memory, 64 bytes}, then filler.
    byte[] file = new byte[8 + GuestIovecs.MAX_ENTRIES + 64];
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(MEMORY + 16).putInt(64);
    for (int i = 8; i < file.length; i++) {
      file[i] = (byte) 0xEE;
    }
    Files.write(dir.resolve("payload"), file);

    WasiPreview1 wasi = new WasiPreview1(WasiConfig.builder().preopen(new Preopen(dir, ".")).build());
    int out = 200 * 1024;
    byte[] name = "payload".getBytes();
    m.write(out + 16, name);
    assertEquals(0, wasi.path().open(memory, 3, 0, out + 16, name.length, 0,
        Rights.FD_READ.bit() | Rights.FD_SEEK.bit(), 0, 0, out));
    int fd = m.i32(out);

    int errno = positioned
        ? wasi.fd().pread(memory, fd, array, entries, 0, out)
        : wasi.fd().read(memory, fd, array, entries, out);

    assertEquals(Errno.SUCCESS.code(), errno);
    for (long i = 0; i < CANARY; i++) {
      assertEquals(CANARY_BYTE, canary.get(ValueLayout.JAVA_BYTE, i), "host byte " + i + " past the memory");
    }
    assertEquals(8 + GuestIovecs.MAX_ENTRIES - 1, m.i32(out), "only the entries taken are filled");
    assertEquals(0, m.u8(honest), "entry 1,024 is beyond what one call takes");
    wasi.close();
  }
}
