package dev.kiln.codegen.aarch64;

import dev.kiln.codegen.testsupport.CompileScopedCallPlaces;
import org.junit.jupiter.api.Test;

class AArch64BackendTest {
  @Test
  void signaturePlacesLiveOnlyAsLongAsOneCompile() {
    CompileScopedCallPlaces.check(new AArch64Backend(true), AArch64Backend::keptCallPlaces);
  }
}
