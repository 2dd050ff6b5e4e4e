package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.List;

/** Machine environments used by the tests. */
final class TestEnvs {
  private TestEnvs() {}

  /**
   * A System V x86-64-like environment: INT rax(0) rcx(1) rdx(2) rsi(6) rdi(7) r8-r11 caller-saved,
   * rbx(3) r12-r15 callee-saved; FLOAT xmm0-xmm15 caller-saved. No scratch register.
   */
  static MachineEnv x64Like() {
    List<PReg> regs = new ArrayList<>();
    for (int e : new int[] {0, 1, 2, 6, 7, 8, 9, 10, 11, 3, 12, 13, 14, 15}) {
      regs.add(PReg.intReg(e));
    }
    for (int e = 0; e < 16; e++) {
      regs.add(PReg.floatReg(e));
    }
    PRegSet callee = PRegSet.of(PReg.intReg(3), PReg.intReg(12), PReg.intReg(13), PReg.intReg(14),
        PReg.intReg(15));
    return new MachineEnv(regs, callee, List.of());
  }

  /**
   * {@code ints} INT registers p0.. (the last {@code calleeSaved} of them callee-saved) and
   * {@code floats} FLOAT registers f0..; with {@code scratch}, p31 and f31 are scratch registers.
   */
  static MachineEnv small(int ints, int calleeSaved, int floats, boolean scratch) {
    List<PReg> regs = new ArrayList<>();
    PRegSet callee = PRegSet.EMPTY;
    for (int e = 0; e < ints; e++) {
      regs.add(PReg.intReg(e));
      if (e >= ints - calleeSaved) {
        callee = callee.with(PReg.intReg(e));
      }
    }
    for (int e = 0; e < floats; e++) {
      regs.add(PReg.floatReg(e));
    }
    List<PReg> scratchRegs = scratch ? List.of(PReg.intReg(31), PReg.floatReg(31)) : List.of();
    return new MachineEnv(regs, callee, scratchRegs);
  }

  /** The caller-saved allocatable registers: what a call clobbers. */
  static PRegSet callerSaved(MachineEnv env) {
    PRegSet s = PRegSet.EMPTY;
    for (PReg r : env.allocatable()) {
      if (!env.calleeSaved().contains(r)) {
        s = s.with(r);
      }
    }
    return s;
  }
}
