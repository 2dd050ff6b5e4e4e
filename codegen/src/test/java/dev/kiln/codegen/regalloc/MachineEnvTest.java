package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link MachineEnv#allocatableIndex} answers what a search of {@link MachineEnv#allocatable()} does
 * (the interval walk's FIXED hints name registers by that index), -1 for a register it does not hold.
 */
class MachineEnvTest {
  @Test
  void allocatableIndexIsTheIndexInTheList() {
    for (MachineEnv env : new MachineEnv[] {TestEnvs.x64Like(), TestEnvs.small(4, 1, 2, true)}) {
      for (RegClass c : RegClass.values()) {
        for (int enc = 0; enc < PReg.MAX_PER_CLASS; enc++) {
          PReg r = PReg.of(c, enc);
          assertEquals(env.allocatable().indexOf(r), env.allocatableIndex(r), r.toString());
        }
      }
    }
  }
}
