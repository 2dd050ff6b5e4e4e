package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the target offers the allocator (regalloc2's {@code MachineEnv}), built by each ISA's ABI code.
 *
 * @param allocatable registers the allocator may hand out, all classes, in preference order within a
 *     class
 * @param calleeSaved the members of {@code allocatable} a function must save before using
 *     (System V x86-64: rbx, rbp, r12-r15; AAPCS64: x19-x28, d8-d15). Short ranges prefer the other
 *     registers; ranges live across calls prefer these. The output reports which ones were used so
 *     the prologue saves them.
 * @param scratch at most one register per class, not allocatable, that the allocator may use freely
 *     between instructions to break move cycles and to route slot-to-slot moves. Without one, it
 *     parks a value in an extra spill slot instead.
 *
 * <p>A class rather than a record so that it can keep each class's registers, worked out once here:
 * the allocator asks for them in every function, and built on each call they were a list and a
 * stream per function (issue 40).
 */
public final class MachineEnv {
  private final List<PReg> allocatable;
  private final PRegSet calleeSaved;
  private final List<PReg> scratch;
  private final PRegSet allocatableSet;
  private final PRegSet scratchSet;
  private final Map<RegClass, List<PReg>> allocatableByClass = new EnumMap<>(RegClass.class);
  private final Map<RegClass, Optional<PReg>> scratchByClass = new EnumMap<>(RegClass.class);
  /**
   * Per register (class ordinal x {@link PReg#MAX_PER_CLASS} + encoding), its index in {@link
   * #allocatable()}, or -1: the interval walk asks it for every FIXED operand, and a search of the
   * list (an equals per register) was 1.2% of the allocator's samples on yosys's compile.
   */
  private final int[] allocatableIndex = new int[RegClass.values().length * PReg.MAX_PER_CLASS];

  public MachineEnv(List<PReg> allocatable, PRegSet calleeSaved, List<PReg> scratch) {
    allocatable = List.copyOf(allocatable);
    scratch = List.copyOf(scratch);
    PRegSet all = PRegSet.of(allocatable);
    if (all.toList().size() != allocatable.size()) {
      throw new IllegalArgumentException("allocatable registers listed twice: " + allocatable);
    }
    for (PReg r : calleeSaved.toList()) {
      if (!all.contains(r)) {
        throw new IllegalArgumentException("callee-saved " + r + " is not allocatable");
      }
    }
    PRegSet scratchClasses = PRegSet.EMPTY;
    for (PReg s : scratch) {
      if (all.contains(s)) {
        throw new IllegalArgumentException("scratch " + s + " must not be allocatable");
      }
      PReg marker = new PReg(s.regClass(), 0);
      if (scratchClasses.contains(marker)) {
        throw new IllegalArgumentException("more than one scratch register for " + s.regClass());
      }
      scratchClasses = scratchClasses.with(marker);
    }
    this.allocatable = allocatable;
    this.calleeSaved = calleeSaved;
    this.scratch = scratch;
    this.allocatableSet = all;
    this.scratchSet = PRegSet.of(scratch);
    java.util.Arrays.fill(allocatableIndex, -1);
    for (int k = 0; k < allocatable.size(); k++) {
      allocatableIndex[key(allocatable.get(k))] = k;
    }
    for (RegClass c : RegClass.values()) {
      List<PReg> ofClass = new ArrayList<>();
      for (PReg r : allocatable) {
        if (r.regClass() == c) {
          ofClass.add(r);
        }
      }
      allocatableByClass.put(c, List.copyOf(ofClass));
      scratchByClass.put(c, scratch.stream().filter(r -> r.regClass() == c).findFirst());
    }
  }

  public List<PReg> allocatable() {
    return allocatable;
  }

  public PRegSet calleeSaved() {
    return calleeSaved;
  }

  public List<PReg> scratch() {
    return scratch;
  }

  /** Allocatable registers of one class, in preference order (immutable, the same list every call). */
  public List<PReg> allocatable(RegClass c) {
    return allocatableByClass.get(c);
  }

  /** {@code allocatable().indexOf(r)}, without the search. */
  int allocatableIndex(PReg r) {
    return allocatableIndex[key(r)];
  }

  private static int key(PReg r) {
    return r.regClass().ordinal() * PReg.MAX_PER_CLASS + r.hwEnc();
  }

  public Optional<PReg> scratch(RegClass c) {
    return scratchByClass.get(c);
  }

  /** The allocatable registers of every class as a set (the same set every call). */
  public PRegSet allocatableSet() {
    return allocatableSet;
  }

  public boolean isAllocatable(PReg r) {
    return allocatableSet.contains(r);
  }

  /** Whether {@code r} is a class's scratch register (a bit test, for the validator's every fixed operand). */
  public boolean isScratch(PReg r) {
    return scratchSet.contains(r);
  }
}
