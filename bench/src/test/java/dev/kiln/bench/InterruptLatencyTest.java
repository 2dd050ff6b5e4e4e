package dev.kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterruptLatencyTest {
  @Test
  void theEndlessModuleIsValidAndExportsItsTwoLoops() {
    Module m = Wasm.load(InterruptLatency.endlessModule());
    assertEquals(3, m.functions().size());
    assertEquals(List.of("spin", "callLoop"), m.exports().stream().map(e -> e.name()).toList());
  }
}
