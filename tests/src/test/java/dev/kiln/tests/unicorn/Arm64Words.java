package dev.kiln.tests.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.disasm.CapstoneDisassembler;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Isa;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Hand-encoded AArch64 for the emulator tests, written before the AArch64 backend exists. Each
 * instruction is given with the text Capstone must print for it, so a wrong encoding fails the test
 * instead of running something else; the words go into host pages the emulator maps at their own
 * address.
 */
final class Arm64Words implements AutoCloseable {
  /** One instruction: its word and Capstone's text for it. */
  record Insn(int word, String text) {}

  private final VirtualMemory pages = VirtualMemory.reserve(64 * 1024);
  private long used;

  Arm64Words() {
    pages.protect(0, pages.size(), Protection.READ_EXECUTE);
  }

  static Insn insn(int word, String text) {
    return new Insn(word, text);
  }

  /**
   * Checks {@code code} against Capstone, copies it into the code pages and tells the emulator
   * code was written there.
   *
   * @return the address of the first instruction
   */
  long place(List<Insn> code) {
    byte[] bytes = bytes(code);
    long address = pages.address() + used;
    checkWithCapstone(code, bytes, address);
    write(used, bytes);
    used += (bytes.length + 15) & -16;
    Executors.codeWritten(Target.AARCH64, address, bytes.length);
    return address;
  }

  /** Overwrites the code at {@code address} (placed before) and says so. */
  void rewrite(long address, List<Insn> code) {
    byte[] bytes = bytes(code);
    checkWithCapstone(code, bytes, address);
    write(address - pages.address(), bytes);
    Executors.codeWritten(Target.AARCH64, address, bytes.length);
  }

  /** Writes as the loader does: the pages are R-X, as published code is, except while written. */
  private void write(long offset, byte[] bytes) {
    pages.protect(0, pages.size(), Protection.READ_WRITE);
    MemorySegment.copy(bytes, 0, pages.segment(), ValueLayout.JAVA_BYTE, offset, bytes.length);
    pages.protect(0, pages.size(), Protection.READ_EXECUTE);
  }

  static byte[] bytes(List<Insn> code) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * code.size()).order(ByteOrder.LITTLE_ENDIAN);
    code.forEach(i -> buffer.putInt(i.word()));
    return buffer.array();
  }

  /** Checks {@code code}, to be placed at {@code address}, against Capstone. */
  static void check(List<Insn> code, long address) {
    checkWithCapstone(code, bytes(code), address);
  }

  private static void checkWithCapstone(List<Insn> code, byte[] bytes, long address) {
    try (CapstoneDisassembler capstone = CapstoneDisassembler.open(Isa.AARCH64)) {
      List<DisassembledInstruction> listing = capstone.disassemble(bytes, address);
      assertEquals(code.size(), listing.size(), "Capstone decodes every word");
      StringBuilder mismatches = new StringBuilder();
      for (int i = 0; i < code.size(); i++) {
        String expected = resolve(code.get(i).text(), address + 4L * i);
        if (!expected.equals(listing.get(i).text())) {
          mismatches.append("\n  0x").append(Integer.toHexString(code.get(i).word())).append(": expected \"")
              .append(expected).append("\", Capstone says \"").append(listing.get(i).text()).append('"');
        }
      }
      assertEquals("", mismatches.toString(), "hand-encoded words that are not what they claim");
    }
  }

  /** A branch's text names its target relative to itself, {@code #.-4}; Capstone prints the address. */
  private static String resolve(String text, long pc) {
    int dot = text.indexOf("#.");
    if (dot < 0) {
      return text;
    }
    long target = pc + Long.parseLong(text.substring(dot + 2));
    return text.substring(0, dot) + "#0x" + Long.toHexString(target);
  }

  @Override
  public void close() {
    pages.close();
  }
}
