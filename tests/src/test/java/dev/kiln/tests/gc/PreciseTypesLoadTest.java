package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An artifact's precise types (the module info's last part, kept for a module of 3.0 types) are
 * read with counts checked against the bytes left, each count times its records' least size. Those
 * sizes were larger than the smallest records (helper-100): a function type's parameter of a number
 * type is one byte, not two, and an array of i8 eight bytes, not thirteen, so a valid module with a
 * function of 300 i64 parameters, or a recursion group of 200 such arrays near the end, compiled
 * and then failed to load as a corrupt artifact ("precise params count 300 cannot fit in the 371
 * bytes left").
 */
class PreciseTypesLoadTest {
  @ParameterizedTest
  @EnumSource(Target.class)
  void aFunctionOfManyNumberParametersLoads(Target target) {
    String params = IntStream.range(0, 300).mapToObj(i -> "i64").collect(Collectors.joining(" "));
    String args = IntStream.range(0, 300).mapToObj(i -> "(i64.const " + i + ")").collect(Collectors.joining(" "));
    assertEquals(299, run(target, "(module (type $s (struct (field i64)))"
        + " (type $wide (func (param " + params + ") (result i64)))"
        + " (func $sum (type $wide) (i64.add (local.get 0) (local.get 299)))"
        + " (func (export \"run\") (result i64) (call $sum " + args + ")))"));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aRecursionGroupOfManySmallArrayTypesLoads(Target target) {
    String arrays = IntStream.range(0, 200).mapToObj(i -> "(type (array i8))").collect(Collectors.joining(" "));
    assertEquals(7, run(target, "(module (type $s (struct (field i64)))"
        + " (func (export \"run\") (result i64) (struct.get $s 0 (struct.new $s (i64.const 7))))"
        + " (rec " + arrays + "))"));
  }

  private static long run(Target target, String wat) {
    try (NativeStore store = new NativeStore(); LoadedModule module = GcModules.load(target, wat);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      return instance.invoke("run").getFirst().bits();
    }
  }
}
