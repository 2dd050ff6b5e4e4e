package dev.kiln.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModuleBuild}, as the plugin's executions run it: the outputs of a build, a second run that
 * compiles nothing, what makes it compile again, several executions side by side, reproducible
 * bytes, a module Kiln refuses (one line with the file and offset), and a damaged stamp that must
 * not make the build delete a file elsewhere.
 */
class ModuleBuildTest {
  static final String ADD = "(module (func (export \"add\") (param i32 i32) (result i32)"
      + " (i32.add (local.get 0) (local.get 1))))";
  static final String MUL = "(module (func (export \"mul\") (param i64 i64) (result i64)"
      + " (i64.mul (local.get 0) (local.get 1))))";

  @TempDir Path dir;

  static BuildSettings settings(Path module, String className) {
    return new BuildSettings(module, module.getFileName().toString(), className,
        List.of(Target.X86_64, Target.AARCH64), false, false, false, "popcnt,ssse3,sse4_1,sse4_2", Optional.empty(),
        true);
  }

  static BuildSettings withEpoch(BuildSettings s) {
    return new BuildSettings(s.module(), s.moduleLabel(), s.className(), s.targets(), true, s.consumeFuel(),
        s.explicitBoundsChecks(), s.x86Features(), s.signKey(), s.embedWasm());
  }

  private ModuleBuild.Roots roots(Path base) {
    return new ModuleBuild.Roots(base.resolve("sources"), base.resolve("resources"), base.resolve("stamps"));
  }

  private Path module(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void aBuildWritesTheClassEachTargetsArtifactAndTheModule() throws Exception {
    ModuleBuild.Roots roots = roots(dir.resolve("out"));
    ModuleBuild.Result result = ModuleBuild.run(settings(module("add.wat", ADD), "com.example.Adder"), roots);
    assertFalse(result.upToDate());
    assertEquals(List.of("resources/com/example/Adder.x86_64.cwasm", "resources/com/example/Adder.aarch64.cwasm",
        "resources/com/example/Adder.wasm", "sources/com/example/Adder.java"), result.outputs());
    assertTrue(Files.readString(roots.sources().resolve("com/example/Adder.java"))
        .contains("public int add(int a0, int a1) {"));
  }

  @Test
  void aSecondRunWithNothingChangedCompilesNothing() throws Exception {
    ModuleBuild.Roots roots = roots(dir.resolve("out"));
    BuildSettings settings = settings(module("add.wat", ADD), "com.example.Adder");
    assertFalse(ModuleBuild.run(settings, roots).upToDate());
    Path artifact = roots.resources().resolve("com/example/Adder.x86_64.cwasm");
    long written = Files.getLastModifiedTime(artifact).toMillis();
    assertTrue(ModuleBuild.run(settings, roots).upToDate());
    assertEquals(written, Files.getLastModifiedTime(artifact).toMillis());
  }

  @Test
  void aChangedModuleSettingOrOutputIsBuiltAgain() throws Exception {
    ModuleBuild.Roots roots = roots(dir.resolve("out"));
    Path module = module("add.wat", ADD);
    BuildSettings settings = settings(module, "com.example.Adder");
    ModuleBuild.run(settings, roots);

    assertFalse(ModuleBuild.run(withEpoch(settings), roots).upToDate(), "a compile setting changed");
    assertTrue(ModuleBuild.run(withEpoch(settings), roots).upToDate());

    Files.writeString(module, ADD.replace("i32.add", "i32.sub"));
    assertFalse(ModuleBuild.run(withEpoch(settings), roots).upToDate(), "the module changed");

    Path source = roots.sources().resolve("com/example/Adder.java");
    Files.writeString(source, "edited by hand");
    assertFalse(ModuleBuild.run(withEpoch(settings), roots).upToDate(), "an output was edited");
    assertTrue(Files.readString(source).contains("public final class Adder"));

    Files.delete(roots.resources().resolve("com/example/Adder.aarch64.cwasm"));
    assertFalse(ModuleBuild.run(withEpoch(settings), roots).upToDate(), "an output was deleted");
    assertTrue(Files.isRegularFile(roots.resources().resolve("com/example/Adder.aarch64.cwasm")));
  }

  @Test
  void aTargetDroppedLeavesNoArtifactOfItBehind() throws Exception {
    ModuleBuild.Roots roots = roots(dir.resolve("out"));
    BuildSettings both = settings(module("add.wat", ADD), "com.example.Adder");
    ModuleBuild.run(both, roots);
    BuildSettings x64 = new BuildSettings(both.module(), both.moduleLabel(), both.className(), List.of(Target.X86_64),
        false, false, false, both.x86Features(), Optional.empty(), true);
    ModuleBuild.run(x64, roots);
    assertFalse(Files.exists(roots.resources().resolve("com/example/Adder.aarch64.cwasm")));
    assertTrue(Files.exists(roots.resources().resolve("com/example/Adder.x86_64.cwasm")));
  }

  @Test
  void severalExecutionsShareTheRootsAndAreUpToDateEachOnItsOwn() throws Exception {
    ModuleBuild.Roots roots = roots(dir.resolve("out"));
    Path add = module("add.wat", ADD);
    BuildSettings adder = settings(add, "com.example.Adder");
    BuildSettings multiplier = settings(module("mul.wat", MUL), "com.example.Multiplier");
    assertFalse(ModuleBuild.run(adder, roots).upToDate());
    assertFalse(ModuleBuild.run(multiplier, roots).upToDate());
    assertTrue(Files.isRegularFile(roots.sources().resolve("com/example/Adder.java")));
    assertTrue(Files.isRegularFile(roots.sources().resolve("com/example/Multiplier.java")));

    Files.writeString(add, ADD.replace("i32.add", "i32.sub"));
    assertFalse(ModuleBuild.run(adder, roots).upToDate());
    assertTrue(ModuleBuild.run(multiplier, roots).upToDate(), "the other execution's module did not change");
  }

  @Test
  void theSameInputsMakeTheSameBytes() throws Exception {
    BuildSettings settings = settings(module("add.wat", ADD), "com.example.Adder");
    ModuleBuild.Result first = ModuleBuild.run(settings, roots(dir.resolve("one")));
    ModuleBuild.run(settings, roots(dir.resolve("two")));
    for (String output : first.outputs()) {
      String relative = output.substring(output.indexOf('/') + 1);
      String root = output.startsWith("sources/") ? "sources" : "resources";
      assertArrayEquals(Files.readAllBytes(dir.resolve("one").resolve(root).resolve(relative)),
          Files.readAllBytes(dir.resolve("two").resolve(root).resolve(relative)), output);
    }
  }

  @Test
  void aModuleThatFailsToValidateIsOneLineWithTheFileAndOffset() throws Exception {
    Path bad = module("bad.wat", "(module (func (export \"f\") (result i32) (i64.const 1)))");
    BuildFailure failure = assertThrows(BuildFailure.class,
        () -> ModuleBuild.run(settings(bad, "com.example.Bad"), roots(dir.resolve("out"))));
    String message = failure.getMessage();
    assertTrue(message.startsWith("bad.wat: invalid: at 0x"), message);
    assertFalse(message.contains("\n"), message);
    assertFalse(Files.exists(dir.resolve("out/sources/com/example/Bad.java")), "nothing is written for a bad module");
  }

  @Test
  void malformedTextAMissingFileAndABadClassNameAreOneLineEach() throws Exception {
    Path text = module("broken.wat", "(module (func (export \"f\")");
    String malformed = assertThrows(BuildFailure.class,
        () -> ModuleBuild.run(settings(text, "com.example.Broken"), roots(dir.resolve("out")))).getMessage();
    assertTrue(malformed.startsWith("broken.wat:1:"), malformed);

    Path binary = dir.resolve("truncated.wasm");
    Files.write(binary, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5});
    String truncated = assertThrows(BuildFailure.class,
        () -> ModuleBuild.run(settings(binary, "com.example.T"), roots(dir.resolve("out")))).getMessage();
    assertTrue(truncated.startsWith("truncated.wasm: malformed: at 0x"), truncated);

    String missing = assertThrows(BuildFailure.class,
        () -> ModuleBuild.run(settings(dir.resolve("none.wasm"), "com.example.N"), roots(dir.resolve("out"))))
        .getMessage();
    assertEquals("none.wasm: no such file", missing);

    String badName = assertThrows(BuildFailure.class,
        () -> ModuleBuild.run(settings(module("add.wat", ADD), "com.example.class"), roots(dir.resolve("out"))))
        .getMessage();
    assertEquals("className 'com.example.class' is no Java class name", badName);
  }

  @Test
  void aSignKeySignsEveryArtifactAndABadOneIsOneLine() throws Exception {
    Path module = module("add.wat", ADD);
    BuildSettings plain = settings(module, "com.example.Adder");
    Path key = dir.resolve("kiln.key");
    Files.write(key, new byte[32]);
    BuildSettings signed = new BuildSettings(module, plain.moduleLabel(), plain.className(), plain.targets(), false,
        false, false, plain.x86Features(), Optional.of(key), true);
    ModuleBuild.run(plain, roots(dir.resolve("plain")));
    ModuleBuild.Result result = ModuleBuild.run(signed, roots(dir.resolve("signed")));
    for (String target : List.of("x86_64", "aarch64")) {
      String artifact = "com/example/Adder." + target + ".cwasm";
      assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("plain/resources").resolve(artifact)),
          Files.readAllBytes(dir.resolve("signed/resources").resolve(artifact))), target);
    }
    assertTrue(ModuleBuild.run(signed, roots(dir.resolve("signed"))).upToDate());
    Files.write(key, new byte[32 - 1]);
    String shortKey = assertThrows(BuildFailure.class, () -> ModuleBuild.run(signed, roots(dir.resolve("signed"))))
        .getMessage();
    assertTrue(shortKey.startsWith(key.toString()) && !shortKey.contains("\n"), shortKey);
    assertFalse(result.upToDate());
  }

  @Test
  void aDamagedStampCannotMakeTheBuildDeleteAFileOutsideItsRoots() throws Exception {
    Path victim = dir.resolve("victim.txt");
    Files.writeString(victim, "keep me");
    ModuleBuild.Roots roots = roots(dir.resolve("out"));
    Files.createDirectories(roots.stamps());
    Files.createDirectories(roots.sources()); // as after any earlier build: the path's ".." resolve
    // A stamp naming an output outside the roots: were it trusted, the build would delete it as an
    // output this build no longer makes.
    Files.writeString(roots.stamps().resolve("com.example.Adder.stamp"),
        "inputs 00\nsources/../../victim.txt 00\n");
    assertFalse(ModuleBuild.run(settings(module("add.wat", ADD), "com.example.Adder"), roots).upToDate());
    assertEquals("keep me", Files.readString(victim));
  }
}
