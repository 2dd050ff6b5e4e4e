package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kiln run app.wasm} runs a module sandboxed; a compiled artifact is native code Kiln runs as
 * trusted. Attacked as red team 12 F2 did: an artifact (here a genuine one, which a module's author
 * could as well have forged, any code resealed) shipped under a module's name ran by its first
 * bytes, with no key and no warning. It is refused in one line unless the user named it
 * {@code *.cwasm}, on both targets' artifacts.
 */
class ArtifactUnderModuleNameTest {
  private static final String WAT = "(module (func (export \"main\") (result i32) (i32.const 42)))";

  @ParameterizedTest
  @ValueSource(strings = {"x86_64", "aarch64"})
  void anArtifactNamedAsAModuleIsRefused(String target, @TempDir Path dir) throws IOException {
    Path source = Files.writeString(dir.resolve("app.wat"), WAT);
    Path cwasm = dir.resolve("app.cwasm");
    assertEquals(0, kiln("compile", "--target", target, source.toString(), "-o", cwasm.toString()).exit());
    assertEquals("42", kiln("run", cwasm.toString(), "--invoke", "main").lastLine(), "named .cwasm, it runs");
    for (String name : new String[] {"app.wasm", "app.wat", "app", "app.cwasm.wasm"}) {
      Path disguised = Files.copy(cwasm, dir.resolve("shipped-" + name));
      ArtifactCommandsTest.Run run = kiln("run", disguised.toString(), "--invoke", "main");
      assertNotEquals(0, run.exit(), name + " ran: " + run.out());
      assertEquals("", run.out(), name);
      assertEquals(1, run.err().lines().count(), run.err());
      assertTrue(run.err().startsWith("error: ") && run.err().contains("shipped-" + name)
          && run.err().contains("only from a file named *.cwasm"), run.err());
    }
  }
}
