package dev.kiln.tests.x64;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.loader.module.X64HostFeatures;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The backend records its features ({@link CpuFeatures#text()}) by the names of {@link X64Feature},
 * the list the loader ({@link X64HostFeatures}, which does not depend on the backend) checks against
 * /proc/cpuinfo: every feature the compiler may record in a compat header must read back as that
 * feature and be checked by its own flag, or every artifact compiled on a machine with it would be
 * unloadable.
 */
class FeatureNamesAgreeTest {
  @Test
  void everyFeatureTheBackendRecordsIsOneTheLoaderChecksByTheSameFlag() {
    CpuFeatures all = CpuFeatures.of(X64Feature.values());
    Set<String> flags = Arrays.stream(X64Feature.values()).map(X64Feature::linuxFlag)
        .collect(Collectors.toSet());
    assertEquals(List.of(), new X64HostFeatures(flags).missing(all.text()));
    for (X64Feature feature : X64Feature.values()) {
      Set<String> allBut = flags.stream().filter(f -> !f.equals(feature.linuxFlag())).collect(Collectors.toSet());
      assertEquals(1, new X64HostFeatures(allBut).missing(all.text()).size(),
          feature + " is not checked by its own flag");
    }
  }
}
