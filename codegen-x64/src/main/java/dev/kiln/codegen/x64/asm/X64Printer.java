package dev.kiln.codegen.x64.asm;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints instructions in AT&amp;T syntax exactly as the encoder tests' oracle, Capstone 5.0 as npm's
 * {@code capstone-wasm} builds it, does, so the oracle test is a string comparison. AT&amp;T reverses
 * Intel's operand order, prefixes registers with {@code %} and immediates with {@code $}, and carries
 * the operand size in the mnemonic ({@code addl}).
 *
 * <p>Capstone conventions followed here, each checked by the round-trip test:
 *
 * <ul>
 *   <li>Numbers above 9 print in hex ({@code 0x10}), 0-9 in decimal; negative ones as {@code -0x10} or
 *       {@code -8}. Branch targets and displacements follow the same rule.
 *   <li>Immediates print as the value the decoder reconstructs: sign-extended imm8 and 64-bit forms'
 *       imm32 signed ({@code addq $-0x10}), a DWORD form's imm32 and a WORD form's imm16 unsigned
 *       ({@code addl $0xffffffff}), byte immediates unsigned ({@code addb $0xff}); {@code and}, {@code or}
 *       and {@code xor} always unsigned at the operand size ({@link FormFlag#UNSIGNED_IMMEDIATE});
 *       {@code movq} and {@code movabsq} never negative: a negative one in unsigned decimal
 *       ({@code movq $18446744073709551615, %rax}), Capstone 5.0's quirk (see {@code immediateText}).
 *   <li>Memory operands separate with a comma and a space: {@code 8(%rax, %rcx, 4)}; a scale of 1 and a
 *       displacement of 0 are omitted ({@code (%rip)} too).
 *   <li>A displacement of -2<sup>31</sup> prints as {@code -0xffffffff80000000}: Capstone's {@code
 *       printInt64} (SStream.c) special-cases {@code LONG_MIN}, which in that 32-bit WebAssembly build is
 *       -2<sup>31</sup>, and prints it unnegated as a 64-bit hex number.
 *   <li>Mnemonics where Capstone differs from GNU: {@code cltd}/{@code cqto}, {@code retq}, {@code
 *       callq}, {@code jmpq *}, and every recommended multi-byte NOP prints as {@code nop}, {@code
 *       nopl} or {@code nopw} without the zero displacement.
 * </ul>
 */
public final class X64Printer {
  private X64Printer() {}

  /** Prints {@code inst}; labels print by name and function targets by key, since no address is known. */
  public static String print(X64Inst inst) {
    return print(inst, null);
  }

  /** Prints {@code inst} as Capstone would print its bytes at {@code context.address()}. */
  public static String print(X64Inst inst, PrintContext context) {
    FormSpec spec = inst.form().spec();
    List<OperandKind> kinds = spec.operands();
    List<Operand> ops = inst.operands();
    String mnemonic = spec.mnemonic();
    int first = 0;
    if (!kinds.isEmpty() && kinds.get(0) == OperandKind.CC) {
      mnemonic = mnemonic.replace("{cc}", ((Cond) ops.get(0)).suffix());
      first = 1;
    }
    if (spec.encoding() == Encoding.NOP_SEQUENCE) {
      return nopText((int) ((Imm) ops.get(first)).value());
    }
    Size operationSize = operationSize(kinds, first);
    List<String> texts = new ArrayList<>();
    for (int i = ops.size() - 1; i >= first; i--) {
      texts.add(operandText(ops.get(i), kinds.get(i), spec, operationSize, context));
    }
    return texts.isEmpty() ? mnemonic : mnemonic + " " + String.join(", ", texts);
  }

  private static String nopText(int length) {
    return switch (length) {
      case 1, 2 -> "nop";
      case 3, 4, 7 -> "nopl (%rax)";
      case 5, 8 -> "nopl (%rax, %rax)";
      case 6, 9 -> "nopw (%rax, %rax)";
      default -> throw new IllegalStateException("nop length " + length);
    };
  }

  /** The size of the operation: that of the first sized operand (the destination). */
  private static Size operationSize(List<OperandKind> kinds, int first) {
    for (int i = first; i < kinds.size(); i++) {
      if (kinds.get(i).size() != null && !kinds.get(i).isImmediate()) {
        return kinds.get(i).size();
      }
    }
    return Size.QWORD;
  }

  private static String operandText(Operand op, OperandKind kind, FormSpec spec, Size operationSize,
      PrintContext context) {
    String star = spec.has(FormFlag.INDIRECT) ? "*" : "";
    return switch (op) {
      case Gpr g -> star + "%" + g.name(kind.size() == null ? Size.QWORD : kind.size());
      case Xmm x -> x.toString();
      case Amode a -> star + memoryText(a, context);
      case Imm(long value) -> "$" + immediateText(value, kind, spec, operationSize);
      case LabelTarget(var label) ->
          context == null ? label.toString() : number(context.labelAddress().applyAsLong(label));
      // The field is zero until the linker patches it, so the bytes decode to the next instruction.
      case FunctionTarget(long key) ->
          context == null ? "funckey:0x" + Long.toHexString(key) : number(context.next());
      case Cond c -> throw new IllegalStateException("condition " + c + " is not a printed operand");
    };
  }

  private static String immediateText(long value, OperandKind kind, FormSpec spec, Size operationSize) {
    if (kind == OperandKind.IMM64 || spec.mnemonic().equals("movq") && kind == OperandKind.SIMM32) {
      // Capstone 5.0 prints mov and movabs immediates "not in negative form" (X86ATTInstPrinter.c,
      // printImm's X86_INS_MOV/X86_INS_MOVABS case), but its test for hex, imm > 9, is signed: a
      // negative value falls through to the decimal branch and prints as its unsigned 64-bit value.
      return value < 0 ? Long.toUnsignedString(value) : unsigned(value);
    }
    if (spec.has(FormFlag.UNSIGNED_IMMEDIATE)) {
      return unsigned(value & operationSize.mask());
    }
    return switch (kind) {
      case IMM8, IMM16, IMM32 -> unsigned(value & kind.size().mask());
      default -> signed(value);
    };
  }

  private static String memoryText(Amode amode, PrintContext context) {
    return switch (amode) {
      case Amode.BaseDisp(Gpr base, int disp) -> displacement(disp) + "(%" + base.name(Size.QWORD) + ")";
      case Amode.BaseIndexScaleDisp m -> displacement(m.disp()) + "(%" + m.base().name(Size.QWORD)
          + ", %" + m.index().name(Size.QWORD) + (m.scale() == 1 ? "" : ", " + m.scale()) + ")";
      case Amode.RipRelative(var label) -> context == null ? label + "(%rip)"
          : displacement(context.labelAddress().applyAsLong(label) - context.next()) + "(%rip)";
    };
  }

  private static String displacement(long disp) {
    if (disp == Integer.MIN_VALUE) {
      return "-0x" + Long.toHexString(disp); // Capstone's LONG_MIN case; see the class comment
    }
    return disp == 0 ? "" : signed(disp);
  }

  /** Capstone's number rule: hex above 9, decimal otherwise. */
  private static String unsigned(long value) {
    return Long.compareUnsigned(value, 9) > 0 ? "0x" + Long.toHexString(value) : Long.toString(value);
  }

  private static String signed(long value) {
    if (value >= 0) {
      return unsigned(value);
    }
    return value < -9 ? "-0x" + Long.toHexString(-value) : Long.toString(value);
  }

  private static String number(long address) {
    return unsigned(address);
  }
}
