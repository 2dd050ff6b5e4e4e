package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What {@code kiln compile}, {@code kiln validate} and {@code kiln run} need of the API, as an
 * embedder would use it: compile to {@code .cwasm} bytes with signing and code settings, validate
 * without compiling, tell a {@code .cwasm}'s target from its header, know what the cache did, and
 * recognise the traps of the engine's own limits.
 */
class PrecompileApiTest {
  private static final byte[] FAC = Wat.toBinaryWithNames("""
      (module
        (func $fac (export "fac") (param i64) (result i64)
          (if (result i64) (i64.eqz (local.get 0))
            (then (i64.const 1))
            (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
        (func (export "spin") (loop $l (br $l))))
      """, "fac.wat");

  private static final byte[] KEY = new byte[32];
  private static final byte[] OTHER_KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 7);
    Arrays.fill(OTHER_KEY, (byte) 8);
  }

  @Test
  void precompiledBytesLoadWithoutCompilingAndAreTheSameForAnyJobCount() {
    Engine engine = Engine.builder().compileJobs(1).build();
    byte[] artifact = engine.precompile(FAC);
    assertArrayEquals(artifact, Engine.builder().compileJobs(2).build().precompile(FAC));
    assertEquals(Optional.of(Target.host().orElseThrow()), WasmModule.precompiledTarget(artifact));
    try (WasmModule module = WasmModule.deserialize(engine, artifact); Store store = new Store(engine)) {
      LongUnaryOperator fac = new Linker(store).instantiate(module).func("fac", LongUnaryOperator.class);
      assertEquals(2432902008176640000L, fac.applyAsLong(20));
      assertInstanceOf(CacheUse.Uncached.class, module.cacheUse());
    }
  }

  @Test
  void aSignedArtifactLoadsOnlyUnderItsKey() {
    byte[] signed = Engine.builder().signKey(KEY).build().precompile(FAC);
    Engine verifying = Engine.builder().verifyKey(KEY).build();
    WasmModule.deserialize(verifying, signed).close();
    KilnException other = assertThrows(KilnException.class,
        () -> WasmModule.deserialize(Engine.builder().verifyKey(OTHER_KEY).build(), signed));
    assertTrue(other.getMessage().contains("tag"), other.getMessage());
    byte[] unsigned = Engine.create().precompile(FAC);
    assertThrows(KilnException.class, () -> WasmModule.deserialize(verifying, unsigned));
  }

  @Test
  void codeSettingsAreRecordedAndALoaderWithOthersRefuses() {
    byte[] explicit = Engine.builder().explicitBoundsChecks(true).inlining(false).tableLazyInit(false).build()
        .precompile(FAC);
    byte[] defaults = Engine.create().precompile(FAC);
    assertTrue(!Arrays.equals(explicit, defaults), "the settings change the artifact");
    // An engine with epoch interruption refuses code compiled without it.
    Engine epochs = Engine.builder().epochInterruption(true).build();
    assertThrows(KilnException.class, () -> WasmModule.deserialize(epochs, defaults));
  }

  @Test
  void validateNamesTheVerdictAndPrecompiledTargetIgnoresAModule() {
    WasmModule.validate(FAC);
    KilnException malformed = assertThrows(KilnException.class, () -> WasmModule.validate(new byte[] {0, 'a', 's'}));
    assertTrue(malformed.getMessage().startsWith("malformed: "), malformed.getMessage());
    assertEquals(Optional.empty(), WasmModule.precompiledTarget(FAC));
    assertEquals(Optional.empty(), WasmModule.precompiledTarget(new byte[64]));
  }

  @Test
  void x86FeaturesAreForTheX86TargetAndNamedFeaturesOnly() {
    assertThrows(IllegalArgumentException.class, () -> Engine.builder().x86Features("avx9"));
    assertThrows(IllegalStateException.class,
        () -> Engine.builder().target(Target.AARCH64).x86Features("baseline").build());
    assertEquals(Optional.of(Target.AARCH64), Target.fromName("aarch64"));
    assertEquals("x86_64", Target.X86_64.displayName());
    assertThrows(IllegalArgumentException.class, () -> Engine.builder().compileJobs(0));
  }

  @Test
  void anInterruptAndSpentFuelAreRecognisedByReason() {
    Engine engine = Engine.builder().epochInterruption(true).consumeFuel(true).build();
    try (WasmModule module = WasmModule.compile(engine, FAC); Store store = new Store(engine)) {
      store.setFuel(1_000_000);
      store.setEpochDeadline(0);
      Instance instance = new Linker(store).instantiate(module);
      Trap interrupted = assertThrows(Trap.class, () -> instance.func("spin").call());
      assertEquals(Trap.INTERRUPT, interrupted.reason());
      store.setEpochDeadline(1_000);
      Trap outOfFuel = assertThrows(Trap.class, () -> instance.func("spin").call());
      assertEquals(Trap.OUT_OF_FUEL, outOfFuel.reason());
      store.setFuel(1_000); // the store stays usable after both
      assertEquals(1L, instance.func("fac").call(Val.i64(0)).getFirst() instanceof Val.I64(long v) ? v : -1);
    }
  }
}
