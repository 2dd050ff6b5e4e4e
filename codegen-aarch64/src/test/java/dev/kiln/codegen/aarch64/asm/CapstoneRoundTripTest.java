package dev.kiln.codegen.aarch64.asm;

import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Isa;
import dev.kiln.codegen.testsupport.CapstoneOracle;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The oracle test (after Cranelift's cranelift/assembler-x64/src/fuzz.rs): random instructions of
 * every form are encoded, decoded by Capstone, and Capstone's text must equal our printer's. A field
 * in the wrong bits, a wrong immediate transformation (bitmask, shifts, scaled offsets) or a wrong
 * opcode bit shows up as different text or an undecodable word. Seed: {@code -Dkiln.seed=N};
 * instructions per form: {@code -Dkiln.roundtrip.perForm=N}.
 */
class CapstoneRoundTripTest {
  private static final long SEED = Long.getLong("kiln.seed", 0x6B696C6E_61363400L);
  private static final int PER_FORM = Integer.getInteger("kiln.roundtrip.perForm", 48);
  /** Instructions are placed here so every branch target is a positive address. */
  private static final long ADDRESS = 0x1000_0000L;

  @Test
  void everyFormRoundTripsThroughCapstone() {
    RandomInstructions generator = new RandomInstructions(new SplittableRandom(SEED));
    CapstoneOracle.run("AArch64", Isa.AARCH64, SEED, List.of(Form.values()), PER_FORM,
        (form, capstone) -> {
          Inst inst = generator.next(form);
          int word = A64Encoder.word(inst);
          byte[] bytes = {(byte) word, (byte) (word >>> 8), (byte) (word >>> 16),
              (byte) (word >>> 24)};
          List<DisassembledInstruction> d = capstone.disassemble(bytes, ADDRESS);
          String theirs = d.size() == 1 ? d.get(0).text() : "<undecodable>";
          String ours = A64Printer.print(inst, ADDRESS);
          return theirs.equals(ours) ? null
              : String.format("%s %08x: ours '%s', Capstone '%s'", form, word, ours, theirs);
        });
  }
}
