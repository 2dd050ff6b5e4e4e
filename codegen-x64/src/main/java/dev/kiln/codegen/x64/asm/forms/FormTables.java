package dev.kiln.codegen.x64.asm.forms;

import dev.kiln.codegen.x64.asm.Form;
import java.util.ArrayList;
import java.util.List;

/** Every x86-64 form Kiln can encode, family by family; tests enumerate it to check coverage. */
public final class FormTables {
  private FormTables() {}

  private static final List<Form> ALL = collect();

  private static List<Form> collect() {
    List<Form> all = new ArrayList<>();
    all.addAll(List.of(AluForm.values()));
    all.addAll(List.of(MovForm.values()));
    all.addAll(List.of(ShiftForm.values()));
    all.addAll(List.of(MulDivForm.values()));
    all.addAll(List.of(BitForm.values()));
    all.addAll(List.of(ControlForm.values()));
    all.addAll(List.of(SseForm.values()));
    all.addAll(List.of(VecMoveForm.values()));
    all.addAll(List.of(VecIntForm.values()));
    all.addAll(List.of(VecFloatForm.values()));
    all.addAll(List.of(VexForm.values()));
    return List.copyOf(all);
  }

  /** All forms, in family order. */
  public static List<Form> all() {
    return ALL;
  }
}
