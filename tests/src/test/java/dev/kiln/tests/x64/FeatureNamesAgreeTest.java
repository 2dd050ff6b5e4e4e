package dev.kiln.tests.x64;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.loader.module.X64HostFeatures;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The backend's feature names ({@link CpuFeatures}) and the loader's ({@link X64HostFeatures}, which
 * does not depend on the backend) are two lists of one fact: every feature the compiler may record
 * in a compat header must be one the loader knows, checked against the same /proc/cpuinfo flag.
 * A feature added to one list alone makes every artifact compiled on a machine with it unloadable.
 */
class FeatureNamesAgreeTest {
  @Test
  void everyFeatureTheBackendRecordsIsOneTheLoaderChecksByTheSameFlag() {
    CpuFeatures all = CpuFeatures.of(CpuFeatures.Feature.values());
    Set<String> flags = Arrays.stream(CpuFeatures.Feature.values()).map(CpuFeatures.Feature::linuxFlag)
        .collect(Collectors.toSet());
    assertEquals(List.of(), new X64HostFeatures(flags).missing(all.text()));
    for (CpuFeatures.Feature feature : CpuFeatures.Feature.values()) {
      Set<String> allBut = flags.stream().filter(f -> !f.equals(feature.linuxFlag())).collect(Collectors.toSet());
      assertEquals(1, new X64HostFeatures(allBut).missing(all.text()).size(),
          feature + " is not checked by its own flag");
    }
  }
}
