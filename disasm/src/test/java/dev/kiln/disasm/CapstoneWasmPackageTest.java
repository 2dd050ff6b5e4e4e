package dev.kiln.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the capstone-wasm package is kept, and what is refused on the way there: a tarball whose
 * sha512 is not the pinned integrity, and a missing npm. The fetch itself is exercised by every test
 * that uses the x86-64 oracle.
 */
class CapstoneWasmPackageTest {
  @TempDir Path dir;

  @Test
  void keptBesideTheCompiledModuleCache() {
    assertEquals(Path.of("/x/kiln-capstone-wasm"),
        CapstoneWasmPackage.cacheRoot(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/h")));
    assertEquals(Path.of("/h/.cache/kiln-capstone-wasm"), CapstoneWasmPackage.cacheRoot(Map.of("HOME", "/h")));
    // The XDG base directory spec: a relative XDG_CACHE_HOME is invalid and ignored.
    assertEquals(Path.of("/h/.cache/kiln-capstone-wasm"),
        CapstoneWasmPackage.cacheRoot(Map.of("XDG_CACHE_HOME", "rel", "HOME", "/h")));
  }

  @Test
  void anUnpackedPackageIsUsedWithoutFetching() throws IOException {
    Path wasm = dir.resolve("package/dist/capstone.wasm");
    Files.createDirectories(wasm.getParent());
    Files.write(wasm, new byte[] {0, 'a', 's', 'm'});
    CapstoneWasmPackage found = CapstoneWasmPackage.obtain(dir, List.of("false"));
    assertEquals(wasm, found.wasm());
    assertEquals(dir.resolve("package"), found.directory());
  }

  @Test
  void aTarballThatIsNotThePinnedOneIsRefusedAndNothingIsUnpacked() throws IOException {
    var e = assertThrows(DisassemblerUnavailableException.class, () -> CapstoneWasmPackage.obtain(dir,
        List.of("sh", "-c", "echo not-the-package > capstone-wasm-1.0.3.tgz")));
    assertTrue(e.getMessage().contains("not the pinned " + CapstoneWasmPackage.INTEGRITY), e.getMessage());
    assertFalse(Files.exists(dir.resolve("package")));
    try (var left = Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "the fetch's working directory is removed");
    }
  }

  @Test
  void noNpmIsOneLineSayingWhatToInstall() {
    var e = assertThrows(DisassemblerUnavailableException.class,
        () -> CapstoneWasmPackage.obtain(dir, List.of("kiln-test-no-such-npm", "pack")));
    assertEquals("no Capstone for this ISA: install Debian's libcapstone4 (apt-get install libcapstone4),"
        + " or kiln-test-no-such-npm (not on PATH), which fetches capstone-wasm@1.0.3", e.getMessage());
  }
}
