package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WasmModule#fromClassPath}: the artifact a build packed beside a class is what runs; with
 * none, or one this host or engine cannot use, the packed {@code .wasm} is compiled; a damaged one
 * is refused even when a {@code .wasm} is there; with neither, one line names both.
 */
class ClassPathModuleTest {
  /** The class the resources sit beside, loaded again from the test's own directory. */
  static final class Anchor {}

  private static final byte[] ONE = Wat.toBinary("(module (func (export \"f\") (result i32) (i32.const 1)))", "one.wat");
  private static final byte[] TWO = Wat.toBinary("(module (func (export \"f\") (result i32) (i32.const 2)))", "two.wat");

  @TempDir Path dir;

  private final Engine engine = Engine.create();

  /** A class loader over {@code dir} holding its own copy of {@link Anchor}, so resources resolve there. */
  private Class<?> anchor() throws IOException, ClassNotFoundException {
    String path = Anchor.class.getName().replace('.', '/') + ".class";
    Path copy = dir.resolve(path);
    Files.createDirectories(copy.getParent());
    try (InputStream in = Anchor.class.getClassLoader().getResourceAsStream(path)) {
      Files.write(copy, in.readAllBytes());
    }
    URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    return Class.forName(Anchor.class.getName(), false, loader);
  }

  private void put(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(Anchor.class.getPackageName().replace('.', '/')).resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  private String cwasmName() {
    return "m." + engine.target().displayName() + ".cwasm";
  }

  private int run(WasmModule module) {
    try (module; Store store = new Store(engine)) {
      return new Linker(store).instantiate(module).func("f", IntSupplier.class).getAsInt();
    }
  }

  @Test
  void thePackedArtifactIsWhatRuns() throws Exception {
    Class<?> owner = anchor();
    put(cwasmName(), engine.precompile(ONE));
    put("m.wasm", TWO);
    assertEquals(1, run(WasmModule.fromClassPath(engine, owner, "m")));
  }

  @Test
  void withoutAnArtifactOrWithOneThatDoesNotFitThePackedWasmIsCompiled() throws Exception {
    Class<?> owner = anchor();
    put("m.wasm", TWO);
    assertEquals(2, run(WasmModule.fromClassPath(engine, owner, "m")));
    // Compiled with fuel metering, which this engine does not do: incompatible, not damaged.
    put(cwasmName(), Engine.builder().consumeFuel(true).build().precompile(ONE));
    assertEquals(2, run(WasmModule.fromClassPath(engine, owner, "m")));
  }

  @Test
  void aDamagedArtifactIsRefusedNotReplacedByACompile() throws Exception {
    Class<?> owner = anchor();
    byte[] artifact = engine.precompile(ONE);
    artifact[artifact.length / 2] ^= 0x40;
    put(cwasmName(), artifact);
    put("m.wasm", TWO);
    KilnException e = assertThrows(KilnException.class, () -> WasmModule.fromClassPath(engine, owner, "m"));
    assertTrue(e.getMessage().startsWith(cwasmName() + ": "), e.getMessage());
  }

  @Test
  void withNeitherOneLineNamesBoth() throws Exception {
    Class<?> owner = anchor();
    KilnException e = assertThrows(KilnException.class, () -> WasmModule.fromClassPath(engine, owner, "m"));
    assertEquals(cwasmName() + " beside " + Anchor.class.getName() + " is not in the class path, and the build"
        + " packed no m.wasm to compile instead", e.getMessage());
  }
}
