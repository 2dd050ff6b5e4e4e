package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.Label;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Seeded random operands for a form: every register (r8-r15 and the REX-only byte registers included),
 * every addressing-mode shape with displacements at the disp8/disp32 boundaries, immediates at the edges
 * of their ranges and in between, every condition, and label or function targets.
 */
final class RandomInstructions {
  private final RandomGenerator random;

  RandomInstructions(RandomGenerator random) {
    this.random = random;
  }

  /** Random operands for {@code form}; {@code label} is the one label branch and RIP operands use. */
  X64Inst next(Form form, Label label) {
    List<Operand> ops = new ArrayList<>();
    for (OperandKind kind : form.spec().operands()) {
      ops.add(operand(kind, label));
    }
    return new X64Inst(form, ops);
  }

  private Operand operand(OperandKind kind, Label label) {
    return switch (kind) {
      case R8, R16, R32, R64 -> gpr();
      case RM8, RM16, RM32, RM64 -> random.nextInt(3) == 0 ? amode(label) : gpr();
      case MEM -> amode(label);
      case CL -> Gpr.RCX;
      case X -> xmm();
      case XM32, XM64, XM128 -> random.nextInt(3) == 0 ? amode(label) : xmm();
      case IMM8 -> imm(-128, 255);
      case SIMM8 -> imm(-128, 127);
      case IMM16 -> imm(-32768, 65535);
      case IMM32 -> imm(Integer.MIN_VALUE, 0xFFFF_FFFFL);
      case SIMM32 -> imm(Integer.MIN_VALUE, Integer.MAX_VALUE);
      case IMM64 -> random.nextBoolean() ? Imm.of(random.nextLong()) : imm(-1000, 1000);
      case CC -> Cond.values()[random.nextInt(16)];
      case REL8 -> new LabelTarget(label);
      case REL32 -> random.nextInt(4) == 0 ? new FunctionTarget(random.nextLong()) : new LabelTarget(label);
      case NOP_LENGTH -> Imm.of(1 + random.nextInt(9));
    };
  }

  Gpr gpr() {
    return Gpr.values()[random.nextInt(16)];
  }

  private Xmm xmm() {
    return Xmm.values()[random.nextInt(16)];
  }

  private Amode amode(Label label) {
    return switch (random.nextInt(5)) {
      case 0, 1 -> new Amode.BaseDisp(gpr(), disp());
      case 2, 3 -> {
        Gpr index;
        do {
          index = gpr();
        } while (index == Gpr.RSP);
        yield new Amode.BaseIndexScaleDisp(gpr(), index, 1 << random.nextInt(4), disp());
      }
      default -> new Amode.RipRelative(label);
    };
  }

  /** Displacements around the choices the encoder makes: none, disp8, disp32 and their boundaries. */
  private int disp() {
    return switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1 -> random.nextInt(-9, 10);
      case 2 -> new int[] {-129, -128, 127, 128, Integer.MIN_VALUE, Integer.MAX_VALUE}[random.nextInt(6)];
      case 3 -> random.nextInt(-128, 128);
      default -> random.nextInt();
    };
  }

  /** Edges of the range, small values (Capstone switches between decimal and hex at 9), or anything. */
  private Imm imm(long min, long max) {
    long value = switch (random.nextInt(5)) {
      case 0 -> random.nextBoolean() ? min : max;
      case 1 -> random.nextLong(-10, 11);
      case 2 -> random.nextBoolean() ? 0 : -1;
      default -> random.nextLong(min, max + 1);
    };
    return Imm.of(Math.max(min, Math.min(max, value)));
  }
}
