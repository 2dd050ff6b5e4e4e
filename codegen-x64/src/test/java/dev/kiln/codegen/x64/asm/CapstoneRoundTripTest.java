package dev.kiln.codegen.x64.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.Label;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.Isa;
import dev.kiln.codegen.testsupport.CapstoneOracle;
import dev.kiln.codegen.x64.asm.forms.FormTables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The oracle test (Cranelift's cranelift/assembler-x64/src/fuzz.rs): random instructions of
 * every form are encoded, disassembled by Capstone, and Capstone's text must equal our printer's. A wrong
 * prefix, REX bit, ModRM/SIB byte, displacement or immediate width shows up as different text, a
 * different length or undecodable bytes.
 *
 * <p>Each instruction is placed after a random amount of filler, and its label (for branches and
 * RIP-relative operands) is bound before or after it, so PC-relative fields are patched with positive
 * and negative distances. Seed: {@code -Dkiln.seed=N} (default fixed); instructions per form: {@code
 * -Dkiln.roundtrip.perForm=N}.
 */
class CapstoneRoundTripTest {
  private static final long SEED = Long.getLong("kiln.seed", 0x6B696C6E_78363400L);
  private static final int PER_FORM = Integer.getInteger("kiln.roundtrip.perForm", 24);

  @Test
  void everyFormRoundTripsThroughCapstone() {
    SplittableRandom random = new SplittableRandom(SEED);
    RandomInstructions generator = new RandomInstructions(random);
    int checked = CapstoneOracle.run("x86-64", Isa.X86_64, SEED, FormTables.all(), PER_FORM,
        (form, capstone) -> roundTrip(form, generator, random, capstone));
    assertEquals(FormTables.all().size() * PER_FORM, checked);
  }

  /**
   * One long function: thousands of random instructions (all forms but the rel8 branches, whose reach a
   * random layout cannot promise) in one buffer, with labels bound at random points between them, so
   * rel32 and RIP-relative fields span kilobytes in both directions. Capstone decodes the whole buffer
   * in one call; instruction boundaries and every text must line up.
   */
  @Test
  void longFunctionRoundTripsThroughCapstone() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    RandomInstructions generator = new RandomInstructions(random);
    List<Form> forms = FormTables.all().stream()
        .filter(f -> !f.spec().operands().contains(OperandKind.REL8))
        .toList();
    int count = 4000;
    int labelCount = 64;
    CodeBuffer buf = new CodeBuffer();
    List<Label> labels = new ArrayList<>();
    for (int i = 0; i < labelCount; i++) {
      labels.add(buf.createLabel());
    }
    List<X64Inst> insts = new ArrayList<>();
    int[] offsets = new int[count];
    int[] lengths = new int[count];
    int nextToBind = 0;
    for (int i = 0; i < count; i++) {
      if (nextToBind < labelCount && random.nextInt(count / labelCount) == 0) {
        buf.bind(labels.get(nextToBind++));
      }
      X64Inst inst = generator.next(forms.get(random.nextInt(forms.size())),
          labels.get(random.nextInt(labelCount)));
      insts.add(inst);
      offsets[i] = buf.offset();
      lengths[i] = X64Encoder.encode(inst, buf);
    }
    while (nextToBind < labelCount) {
      buf.bind(labels.get(nextToBind++));
    }
    byte[] code = buf.finish().code();
    List<DisassembledInstruction> decoded = CapstoneOracle.disassembler(Isa.X86_64).disassemble(code, 0);
    System.out.printf("x86-64 Capstone round trip: one function of %d instructions, %d bytes, %d labels%n",
        count, code.length, labelCount);
    assertEquals(count, decoded.size(), "instructions decoded from " + code.length + " bytes");
    for (int i = 0; i < count; i++) {
      DisassembledInstruction d = decoded.get(i);
      assertEquals(offsets[i], d.address(), "offset of instruction " + i);
      String expected = X64Printer.print(insts.get(i), new PrintContext(offsets[i], lengths[i],
          buf::labelOffset));
      assertEquals(expected, d.text(), "instruction " + i + " (" + insts.get(i).form().name() + ") "
          + HexFormat.of().formatHex(d.bytes()));
    }
  }

  private static String roundTrip(Form form, RandomInstructions generator, SplittableRandom random,
      Disassembler capstone) {
    CodeBuffer buf = new CodeBuffer();
    Label label = buf.createLabel();
    X64Inst inst = generator.next(form, label);
    int start = random.nextInt(0, 64);
    boolean backward = random.nextBoolean();
    int bindAt = backward ? random.nextInt(0, start + 1) : -1;
    for (int i = 0; i < start; i++) {
      if (i == bindAt) {
        buf.bind(label);
      }
      buf.put8(0xCC);
    }
    if (bindAt == start) {
      buf.bind(label);
    }
    int length = X64Encoder.encode(inst, buf);
    if (!buf.isBound(label)) {
      int after = random.nextInt(0, 64);
      for (int i = 0; i < after; i++) {
        buf.put8(0xCC);
      }
      buf.bind(label);
    }
    FinishedCode code = buf.finish();
    byte[] bytes = Arrays.copyOfRange(code.code(), start, start + length);
    String expected = X64Printer.print(inst, new PrintContext(start, length, l -> buf.labelOffset(l)));
    List<DisassembledInstruction> decoded = capstone.disassemble(bytes, start);
    String hex = HexFormat.of().formatHex(bytes);
    if (decoded.size() != 1 || decoded.get(0).size() != length) {
      return form.name() + " " + hex + ": Capstone decoded " + decoded + ", expected one instruction of "
          + length + " bytes: " + expected;
    }
    String actual = decoded.get(0).text();
    return actual.equals(expected) ? null
        : form.name() + " " + hex + "\n    capstone: " + actual + "\n    printer:  " + expected;
  }
}
