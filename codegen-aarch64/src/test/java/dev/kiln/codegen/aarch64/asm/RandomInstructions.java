package dev.kiln.codegen.aarch64.asm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random valid instructions of a given form, for the Capstone round trip. Register 31 appears only
 * where the view takes the stack pointer, so no alias Capstone would prefer (MOV for ORR with ZR,
 * MNEG for MSUB with ZR) is ever produced for a form that prints otherwise.
 */
final class RandomInstructions {
  private final SplittableRandom random;

  RandomInstructions(SplittableRandom random) {
    this.random = random;
  }

  Inst next(Form form) {
    List<Operand> ops = new ArrayList<>();
    int view = 0;
    boolean wide = form.wide();
    for (Shape.Kind kind : form.shape().operands()) {
      ops.add(switch (kind) {
        case R -> register(form.views().charAt(view++));
        case COND -> Cond.values()[random.nextInt(14)];
        case ADDSUB_IMM -> new AddSubImm(random.nextInt(1, 4096), random.nextBoolean());
        case LOGICAL_IMM -> logical(wide);
        case MOVE_WIDE_IMM -> new MoveWideImm(random.nextInt(0x10000),
            16 * random.nextInt(wide ? 4 : 2));
        case UIMM -> uimm(form, ops.size());
        case SCALED_OFFSET -> {
          int size = form.accessSize();
          yield new ScaledOffset(size * random.nextInt(4096), size);
        }
        case PAIR_OFFSET -> new PairOffset(8 * random.nextInt(-64, 64));
        case TARGET -> new Target.PcOffset(4 * switch (form.shape()) {
          case BRANCH26 -> random.nextInt(-(1 << 25), 1 << 25);
          default -> random.nextInt(-(1 << 18), 1 << 18);
        });
        case ARR -> {
          List<VArr> arrs = List.copyOf(form.arrangements());
          yield arrs.get(random.nextInt(arrs.size()));
        }
      });
    }
    fixUp(form, ops);
    return new Inst(form, ops);
  }

  /** Operand combinations the encoder refuses or Capstone prints as another alias. */
  private void fixUp(Form form, List<Operand> ops) {
    switch (form.shape()) {
      case MOV_SP -> {
        int sp = random.nextInt(2);
        ops.set(sp, Gpr.SP);
        ops.set(1 - sp, Gpr.of(random.nextInt(31)));
      }
      case PAIR_PRE, PAIR_POST, PAIR_OFF -> {
        while (ops.get(1) == ops.get(0)) {
          ops.set(1, Gpr.of(random.nextInt(31)));
        }
        if (ops.get(2) == ops.get(0) || ops.get(2) == ops.get(1)) {
          ops.set(2, Gpr.SP); // writeback to a transferred register is unpredictable
        }
      }
      case VEC_TO_GEN -> ops.set(3, UImm.of(random.nextInt(((VArr) ops.get(2)).lanes())));
      case VEC_FROM_GEN -> ops.set(2, UImm.of(random.nextInt(((VArr) ops.get(1)).lanes())));
      case VEC_SHL_IMM -> ops.set(3, UImm.of(random.nextInt(8 << ((VArr) ops.get(2)).size())));
      case VEC_SHR_IMM -> ops.set(3, UImm.of(1 + random.nextInt(8 << ((VArr) ops.get(2)).size())));
      case VEC_DUP_ELEM, VEC_SCALAR_ELEM ->
          ops.set(3, UImm.of(random.nextInt(((VArr) ops.get(2)).lanes())));
      case VEC_EXT -> ops.set(4, UImm.of(random.nextInt(16)));
      case BITFIELD_EXTRACT -> {
        int size = form.wide() ? 64 : 32;
        int lsb = random.nextInt(1, size - 1);
        ops.set(2, UImm.of(lsb));
        ops.set(3, UImm.of(random.nextInt(1, size - lsb)));
      }
      case VEC_INS_ELEM -> {
        int lanes = ((VArr) ops.get(1)).lanes();
        ops.set(2, UImm.of(random.nextInt(lanes)));
        ops.set(4, UImm.of(random.nextInt(lanes)));
      }
      case VEC_RRR -> {
        // ORR with Rn == Rm is the MOV alias, printed so by Capstone.
        while (form == Form.ORR_V && ops.get(2) == ops.get(1)) {
          ops.set(2, FpReg.of(random.nextInt(32)));
        }
      }
      case LDST_UIMM, LDST_REG, LDST_REG_SCALED -> {
        if (ops.get(1) == ops.get(0)) {
          ops.set(1, Gpr.SP);
        }
      }
      default -> { }
    }
  }

  private Operand register(char view) {
    return switch (view) {
      case 'w', 'x' -> Gpr.of(random.nextInt(31));
      case 'W', 'X' -> random.nextInt(8) == 0 ? Gpr.SP : Gpr.of(random.nextInt(31));
      default -> FpReg.of(random.nextInt(32));
    };
  }

  private UImm uimm(Form form, int position) {
    return switch (form.shape()) {
      case LSL_IMM, SHR_IMM, ROR_IMM, RRR_SHIFTED -> UImm.of(random.nextInt(1, form.wide() ? 64 : 32));
      case CCMP_IMM -> UImm.of(position == 1 ? random.nextInt(32) : random.nextInt(16));
      case BRK -> UImm.of(random.nextInt(0x10000));
      case VEC_MOVI -> UImm.of(random.nextInt(0x100));
      case VEC_TO_GEN, VEC_FROM_GEN, VEC_DUP_ELEM, VEC_SCALAR_ELEM, VEC_INS_ELEM, VEC_SHL_IMM,
          VEC_SHR_IMM, VEC_EXT, BITFIELD_EXTRACT -> UImm.of(0); // lane indexes, shifts, bit fields: fixUp

      default -> throw new IllegalStateException(form + " has no immediate");
    };
  }

  /** A random element size, run length and rotation, replicated: always encodable. */
  private LogicalImm logical(boolean wide) {
    int[] sizes = wide ? new int[] {2, 4, 8, 16, 32, 64} : new int[] {2, 4, 8, 16, 32};
    int size = sizes[random.nextInt(sizes.length)];
    int ones = random.nextInt(1, size);
    int rot = random.nextInt(size);
    long run = (1L << ones) - 1;
    long mask = size == 64 ? -1L : (1L << size) - 1;
    long element = size == 64 ? Long.rotateRight(run, rot)
        : ((run >>> rot) | (run << (size - rot))) & mask;
    long value = 0;
    for (int i = 0; i < 64; i += size) {
      value |= element << i;
    }
    return LogicalImm.require(wide ? value : value & 0xFFFF_FFFFL, wide);
  }
}
