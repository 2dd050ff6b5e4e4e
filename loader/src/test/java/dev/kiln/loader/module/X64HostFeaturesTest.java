package dev.kiln.loader.module;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.compat.X64Feature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class X64HostFeaturesTest {
  /** Abridged /proc/cpuinfo of a CPU with POPCNT and SSE4.1 but neither ABM (LZCNT) nor BMI1. */
  private static final List<String> NEHALEM = List.of(
      "processor\t: 0",
      "vendor_id\t: GenuineIntel",
      "model name\t: Intel(R) Core(TM) i7 CPU 920 @ 2.67GHz",
      "flags\t\t: fpu vme de pse tsc msr sse sse2 ssse3 cx16 sse4_1 sse4_2 popcnt lahf_lm",
      "bogomips\t: 5333.33",
      "",
      "processor\t: 1",
      "flags\t\t: fpu sse sse2 abm bmi1");

  @Test
  void readsTheFirstFlagsLineOfCpuinfo() {
    X64HostFeatures host = X64HostFeatures.fromCpuinfo(NEHALEM);
    assertTrue(host.flags().containsAll(Set.of("sse4_1", "popcnt", "sse2")), host.flags().toString());
    assertEquals(Set.of(), X64HostFeatures.fromCpuinfo(List.of("processor\t: 0")).flags());
    // A "flags" key only: "vmx flags" (newer kernels) is another line.
    assertEquals(Set.of("sse2"), X64HostFeatures.fromCpuinfo(List.of("vmx flags\t: ept", "flags\t: sse2")).flags());
  }

  @Test
  void baselineCodeLoadsAnywhere() {
    X64HostFeatures none = new X64HostFeatures(Set.of());
    assertDoesNotThrow(() -> none.check(Map.of(X64Feature.SETTING, "baseline")));
    assertDoesNotThrow(() -> none.check(Map.of()));
    assertEquals(List.of(), none.missing(""));
  }

  @Test
  void featuresTheCpuHasPass() {
    X64HostFeatures host = X64HostFeatures.fromCpuinfo(NEHALEM);
    assertDoesNotThrow(() -> host.check(Map.of(X64Feature.SETTING, "popcnt,sse4_1")));
  }

  @Test
  void eachMissingFeatureIsNamedWithItsLinuxFlag() {
    X64HostFeatures host = X64HostFeatures.fromCpuinfo(NEHALEM);
    IncompatibleArtifactException e = assertThrows(IncompatibleArtifactException.class,
        () -> host.check(Map.of(X64Feature.SETTING, "lzcnt,bmi1,popcnt,sse4_1")));
    assertTrue(e.getMessage().contains("lzcnt, which this CPU lacks (no 'abm'"), e.getMessage());
    assertTrue(e.getMessage().contains("bmi1, which this CPU lacks (no 'bmi1'"), e.getMessage());
    assertTrue(!e.getMessage().contains("popcnt") && !e.getMessage().contains("sse4_1"), e.getMessage());
    assertEquals(List.of("sse4_1, which this CPU lacks (no 'sse4_1' in /proc/cpuinfo flags)"),
        new X64HostFeatures(Set.of("popcnt")).missing("popcnt,sse4_1"));
  }

  @Test
  void anUnknownFeatureIsRefused() {
    X64HostFeatures all = new X64HostFeatures(Set.of("abm", "bmi1", "popcnt", "sse4_1", "avx512f"));
    assertEquals(List.of("feature 'avx512f', which this runtime does not know"), all.missing("popcnt,avx512f"));
  }

  @Test
  void theHostIsReadFromProcCpuinfo() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      assertEquals(X64HostFeatures.fromCpuinfo(Files.readAllLines(cpuinfo)), X64HostFeatures.host());
    }
  }
}
