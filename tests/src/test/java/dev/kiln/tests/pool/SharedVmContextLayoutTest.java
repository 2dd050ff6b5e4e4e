package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import org.junit.jupiter.api.Test;

/**
 * The VMContext's layout is the module's, not the instance's: working it out walks every field the
 * module declares (a record per function, global, memory, table, segment), which for a large
 * program (yosys) was the biggest part of an instantiation once its data was no longer copied
 * (issue 41). Counted as objects: every instance of a module, in any store, shares one layout.
 */
class SharedVmContextLayoutTest {
  @Test
  void instancesOfAModuleShareOneVmContextLayout() {
    String wat = "(module (memory 1) " + "(global (mut i32) (i32.const 1)) ".repeat(100)
        + "(func (export \"f\") (result i32) (i32.const 3)))";
    try (LoadedModule module = PooledCode.load(wat, HostTarget.current().orElseThrow());
        NativeStore one = new NativeStore();
        NativeStore two = new NativeStore()) {
      LoadedInstance first = LoadedInstance.instantiate(module, one);
      LoadedInstance second = LoadedInstance.instantiate(module, two);
      LoadedInstance third = LoadedInstance.instantiate(module, one);
      assertSame(first.view(), second.view());
      assertSame(first.view(), third.view());
      assertEquals(3, second.invoke("f").getFirst().bits());
    }
  }
}
