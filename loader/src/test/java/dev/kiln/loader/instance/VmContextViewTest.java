package dev.kiln.loader.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.VmField;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.artifact.vm.VmShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/ARCHITECTURE.md section 4: one definition of the VMContext layout ({@link VmLayout}, which
 * the compiler uses) checked against the loader's own {@link VmContextView}: every field's offset
 * and size, the member count, and the total size, over shapes with and without each kind of entity.
 */
class VmContextViewTest {
  static Stream<VmShape> shapes() {
    List<VmShape> shapes = new ArrayList<>();
    shapes.add(VmShape.EMPTY);
    shapes.add(new VmShape(0, 0, 1, 0, 0, 0, 0, 0, 0, Builtin.SLOTTED));
    shapes.add(new VmShape(0, 0, 1, 0, 1, 0, 3, 2, 2, Builtin.SLOTTED));
    shapes.add(new VmShape(2, 1, 1, 1, 1, 1, 1, 3, 5, Builtin.SLOTTED));
    shapes.add(new VmShape(1, 3, 0, 0, 2, 3, 0, 1, 1, Builtin.SLOTTED));
    shapes.add(new VmShape(1, 0, 1, 0, 1, 0, 2, 1, 1, Builtin.SLOTTED, 1, 1, 3)); // with exception tags
    Random random = new Random(12);
    for (int i = 0; i < 40; i++) {
      shapes.add(new VmShape(random.nextInt(4), random.nextInt(3), random.nextInt(3), random.nextInt(3),
          random.nextInt(3), random.nextInt(4), random.nextInt(5), random.nextInt(5), random.nextInt(6),
          Builtin.SLOTTED, random.nextInt(3), random.nextInt(3)));
    }
    return shapes.stream();
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void everyFieldAgreesWithTheCompilersLayout(VmShape shape) {
    VmLayout compiler = new VmLayout(shape);
    VmContextView loader = new VmContextView(shape);
    List<VmField> fields = compiler.fields();
    for (VmField field : fields) {
      assertEquals(field.offset(), loader.offset(field.name()), field.name() + " offset in " + shape);
      assertEquals(field.size(), loader.sizeOf(field.name()), field.name() + " size in " + shape);
    }
    long named = loader.layout().memberLayouts().stream().filter(m -> m.name().isPresent()).count();
    assertEquals(fields.size(), named, "the loader names exactly the compiler's fields");
    assertEquals(compiler.size(), loader.size(), "total size for " + shape);
  }

  @org.junit.jupiter.api.Test
  void aNameWithNoMemberIsRefused() {
    // one imported and one defined memory, two escaping functions
    VmContextView view = new VmContextView(new VmShape(0, 1, 1, 0, 0, 0, 0, 2, 1, Builtin.SLOTTED, 0, 0));
    view.offset("memory[0].import");
    view.offset("memory[1].base");
    view.offset("func_ref[1].vmctx");
    for (String name : new String[] {"memory[0].base", "memory[1].import", "memory[2].base", "func_ref[2].vmctx",
        "func_ref[-1].vmctx", "func_ref[x].vmctx", "func_ref[1].nothing", "global[0]", "store", "builtin[nope]"}) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> view.offset(name), name);
    }
  }
}
