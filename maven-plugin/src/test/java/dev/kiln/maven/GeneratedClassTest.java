package dev.kiln.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Memory;
import dev.kiln.runtime.Trap;
import dev.kiln.runtime.Val;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated class compiled with javac (warnings as errors, doclint on) and called: a module with
 * imports (a typed host function and one of another shape, as lambdas), exports of every kind, several
 * results, v128, a trap, and export names chosen to break the generated source (a quote, a comment's
 * end, a Unicode escape, a keyword, names that collide once made Java names).
 */
class GeneratedClassTest {
  private static final String MODULE = """
      (module
        (import "env" "twice" (func $twice (param i32) (result i32)))
        (import "env" "mix" (func $mix (param i32 f32) (result i64)))
        (memory (export "memory") 1)
        (global (export "counter") (mut i32) (i32.const 5))
        (table (export "table") 2 funcref)
        (func (export "quadruple") (param i32) (result i32) (call $twice (call $twice (local.get 0))))
        (func (export "mixed") (param i32 f32) (result i64) (call $mix (local.get 0) (local.get 1)))
        (func (export "div_mod") (param i32 i32) (result i32 i32)
          (i32.div_u (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1)))
        (func (export "five") (param i32 i64 f32 f64 i32) (result f64)
          (f64.add (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
            (f64.add (f64.add (f64.promote_f32 (local.get 2)) (local.get 3)) (f64.convert_i32_s (local.get 4)))))
        (func (export "splat") (param i32) (result v128) (i32x4.splat (local.get 0)))
        (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
        (func (export "x\\"); System.exit(3); /* */ \\\\u000a") (result i32) (i32.const 7))
        (func (export "class") (result i32) (i32.const 8))
        (func (export "a_b") (result i32) (i32.const 9))
        (func (export "aB") (result i32) (i32.const 10))
        (func (export "close") (result i32) (i32.const 11))
        (func (export "line\\nbreak\\r\\u{2028}\\u{e000}\\u{10ffff}end") (result i32) (i32.const 12)))
      """;

  @TempDir Path dir;

  @Test
  void theGeneratedClassCompilesCleanlyAndCallsTheModule() throws Throwable {
    Path module = dir.resolve("calc.wat");
    Files.writeString(module, MODULE);
    ModuleBuild.Roots roots = new ModuleBuild.Roots(dir.resolve("src"), dir.resolve("res"), dir.resolve("stamps"));
    ModuleBuild.run(ModuleBuildTest.settings(module, "gen.Calc"), roots);
    Path classes = compile(roots.sources().resolve("gen/Calc.java"));

    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {classes.toUri().toURL(), roots.resources().toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> calc = loader.loadClass("gen.Calc");
      Class<?> twice = loader.loadClass("gen.Calc$Env$Twice");
      Class<?> mix = loader.loadClass("gen.Calc$Env$Mix");
      List<String> mixCalls = new ArrayList<>();
      Object twiceImpl = Proxy.newProxyInstance(loader, new Class<?>[] {twice},
          (proxy, method, args) -> 2 * (int) args[0]);
      Object mixImpl = Proxy.newProxyInstance(loader, new Class<?>[] {mix}, (proxy, method, args) -> {
        mixCalls.add(args[0] + "," + args[1]);
        return (long) (int) args[0] * 1000 + (long) (float) args[1];
      });
      Object builder = calc.getMethod("builder").invoke(null);
      builder.getClass().getMethod("env", twice, mix).invoke(builder, twiceImpl, mixImpl);
      try (AutoCloseable instance = (AutoCloseable) builder.getClass().getMethod("instantiate").invoke(builder)) {
        assertEquals(44, call(instance, "quadruple", 11));
        assertEquals(7025L, call(instance, "mixed", 7, 25.5f));
        assertEquals(List.of("7,25.5"), mixCalls);
        Object qr = call(instance, "divMod", 47, 5);
        assertEquals("DivModResult[r0=9, r1=2]", qr.toString());
        assertEquals(1 + 2 + 0.5 + 0.25 + 3, call(instance, "five", 1, 2L, 0.5f, 0.25, 3));
        assertEquals(Val.v128(0x0000000700000007L, 0x0000000700000007L), call(instance, "splat", 7));
        Memory memory = (Memory) call(instance, "memory");
        memory.write(3, new byte[] {42});
        assertEquals(42, call(instance, "load", 3));
        assertEquals(5, ((dev.kiln.runtime.Global) call(instance, "counter")).get().asInt());
        assertEquals(2L, ((dev.kiln.runtime.Table) call(instance, "table")).size());
        // Hostile and colliding names became distinct, valid Java names.
        assertEquals(7, call(instance, "xSystemExit3U000a"));
        assertEquals(8, call(instance, "class_"));
        assertEquals(9, call(instance, "aB"));
        assertEquals(10, call(instance, "aB2"));
        assertEquals(11, call(instance, "close2"));
        // A line break in a name stays an escape in the string literal that names the export (a
        // Unicode escape of it would end the literal before the compiler reads it, JLS 3.3), and
        // no character makes an entity the compiler's lint refuses in the Javadoc.
        assertEquals(12, call(instance, "lineBreakEnd"));
        InvocationTargetException trap = assertThrows(InvocationTargetException.class,
            () -> call(instance, "divMod", 1, 0));
        assertInstanceOf(Trap.class, trap.getCause());
      }
    }
  }

  /**
   * Import names that are also names the generated code uses: the builder method's own lambda
   * parameters and the field it adds to, the class's own name, the API and java.lang types it names
   * unqualified, the first word of the names it qualifies (red team 39 F2, red team 40 F1: each broke
   * the class's compile).
   */
  @Test
  void importNamesThatTheGeneratedCodeUsesItselfStillCompile() throws Throwable {
    Path module = dir.resolve("calc.wat");
    Files.writeString(module, """
        (module
          (import "env" "linker" (func (param i32)))
          (import "env" "bindings" (func (param i32)))
          (import "env" "args" (func (param f64 f64 f64 f64 f64) (result i32)))
          (import "env" "caller" (func (param f64 f64 f64 f64 f64) (result i32)))
          (import "env" "calc" (func (param i32)))
          (import "env" "list" (func (result i32 i32)))
          (import "env" "val" (func))
          (import "String" "f" (func (param i32)))
          (import "Object" "f" (func (param i32)))
          (import "Override" "f" (func (param i32)))
          (import "RuntimeException" "f" (func (param i32)))
          (import "Runnable" "f" (func))
          (import "AutoCloseable" "f" (func))
          (import "IllegalStateException" "f" (func))
          (import "FunctionalInterface" "f" (func))
          (memory (export "java") 1)
          (global (export "dev") i32 (i32.const 1))
          (func (export "javax") (result i32 i32) (i32.const 1) (i32.const 2))
          (func (export "check_exports") (param i32))
          (func (export "shape") (param externref))
          (table (export "expect") 1 funcref)
          (global (export "found") i32 (i32.const 1))
          (func (export "LOCK") (result i32) (i32.const 1)))
        """);
    ModuleBuild.Roots roots = new ModuleBuild.Roots(dir.resolve("src"), dir.resolve("res"), dir.resolve("stamps"));
    ModuleBuild.run(ModuleBuildTest.settings(module, "gen.Calc"), roots);
    compile(roots.sources().resolve("gen/Calc.java"));
  }

  @Test
  void aModuleWithoutImportsIsInstantiatedInOneCall() throws Throwable {
    Path module = dir.resolve("add.wat");
    Files.writeString(module, ModuleBuildTest.ADD);
    ModuleBuild.Roots roots = new ModuleBuild.Roots(dir.resolve("src"), dir.resolve("res"), dir.resolve("stamps"));
    ModuleBuild.run(ModuleBuildTest.settings(module, "Adder"), roots);
    Path classes = compile(roots.sources().resolve("Adder.java"));
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {classes.toUri().toURL(), roots.resources().toUri().toURL()}, getClass().getClassLoader())) {
      try (AutoCloseable adder = (AutoCloseable) loader.loadClass("Adder").getMethod("instantiate").invoke(null)) {
        assertEquals(42, call(adder, "add", 2, 40));
      }
    }
  }

  /** A WASI module: {@code hello} writes "hi\n" to stdout with {@code fd_write}. */
  private static final String WASI_HELLO = """
      (module
        (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 8) "hi\\n")
        (func (export "hello") (result i32)
          (i32.store (i32.const 0) (i32.const 8))
          (i32.store (i32.const 4) (i32.const 3))
          (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16))))
      """;

  @Test
  void wasiIsOneCallAndTheCompileSettingsMakeTheRunTimeEngine() throws Throwable {
    ModuleBuild.Roots roots = new ModuleBuild.Roots(dir.resolve("src"), dir.resolve("res"), dir.resolve("stamps"));
    Path hello = dir.resolve("hello.wat");
    Files.writeString(hello, WASI_HELLO);
    ModuleBuild.run(ModuleBuildTest.settings(hello, "gen.Hello"), roots);
    Path add = dir.resolve("add.wat");
    Files.writeString(add, ModuleBuildTest.ADD);
    BuildSettings plain = ModuleBuildTest.settings(add, "gen.Metered");
    ModuleBuild.run(new BuildSettings(add, plain.moduleLabel(), plain.className(), plain.targets(), false, true, false,
        plain.x86Features(), plain.signKey(), true), roots);
    Path classes = compile(roots.sources().resolve("gen/Hello.java"), roots.sources().resolve("gen/Metered.java"));
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {classes.toUri().toURL(), roots.resources().toUri().toURL()}, getClass().getClassLoader())) {
      java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
      Object builder = loader.loadClass("gen.Hello").getMethod("builder").invoke(null);
      builder.getClass().getMethod("wasi", dev.kiln.runtime.WasiOptions.class)
          .invoke(builder, dev.kiln.runtime.WasiOptions.builder().stdout(stdout).build());
      try (AutoCloseable instance = (AutoCloseable) builder.getClass().getMethod("instantiate").invoke(builder)) {
        assertEquals(0, call(instance, "hello"));
        assertEquals("hi\n", stdout.toString(java.nio.charset.StandardCharsets.UTF_8));
      }
      // Compiled with fuel metering: the class's engine meters too, so a store without fuel traps.
      try (AutoCloseable metered = (AutoCloseable) loader.loadClass("gen.Metered").getMethod("instantiate")
          .invoke(null)) {
        InvocationTargetException noFuel = assertThrows(InvocationTargetException.class,
            () -> call(metered, "add", 1, 2));
        assertEquals(Trap.OUT_OF_FUEL, ((Trap) noFuel.getCause()).reason());
        ((dev.kiln.runtime.Store) call(metered, "store")).setFuel(1000);
        assertEquals(3, call(metered, "add", 1, 2));
      }
    }
  }

  /** The module a class is generated for in {@link #anArtifactOfAnotherModuleIsRefusedNamingTheExport}. */
  private static final String KERNELS = """
      (module
        (memory (export "memory") 1)
        (global (export "count") (mut i32) (i32.const 0))
        (func (export "gcd") (param i32 i32) (result i32) (local.get 0))
        (func (export "div_mod") (param i32 i32) (result i32 i32) (local.get 0) (local.get 1)))
      """;

  /**
   * A jar whose packed artifact is a sound, sealed artifact of another module than the class was
   * generated for (as an attacker who can only swap a resource, or a build that mixed versions, would
   * ship): each export whose type changed is one KilnException at load naming it and both types,
   * never a call that reads a missing result as zero or a raw IllegalArgumentException later.
   */
  @Test
  void anArtifactOfAnotherModuleIsRefusedNamingTheExport() throws Throwable {
    Path original = dir.resolve("kernels.wat");
    Files.writeString(original, KERNELS);
    ModuleBuild.Roots roots = new ModuleBuild.Roots(dir.resolve("src"), dir.resolve("res"), dir.resolve("stamps"));
    ModuleBuild.run(ModuleBuildTest.settings(original, "gen.Kernels"), roots);
    Path classes = compile(roots.sources().resolve("gen/Kernels.java"));
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {classes.toUri().toURL(), roots.resources().toUri().toURL()}, getClass().getClassLoader())) {
      try (AutoCloseable kernels = (AutoCloseable) loader.loadClass("gen.Kernels").getMethod("instantiate").invoke(null)) {
        assertEquals(7, call(kernels, "gcd", 7, 3), "the artifact it was generated for loads");
      }
    }
    List<String[]> swaps = List.of(
        new String[] {KERNELS.replace("(result i32 i32) (local.get 0) (local.get 1)", "(result i32) (local.get 0)"),
            "\"div_mod\" is FUNCTION (i32 i32) -> (i32) in the artifact, FUNCTION (i32 i32) -> (i32 i32) in the class"},
        new String[] {KERNELS.replace("(param i32 i32) (result i32) (local.get 0)",
            "(param i32 i32 i32) (result i32) (local.get 0)"),
            "\"gcd\" is FUNCTION (i32 i32 i32) -> (i32) in the artifact, FUNCTION (i32 i32) -> (i32) in the class"},
        new String[] {KERNELS.replace("(param i32 i32) (result i32) (local.get 0)", "(param i64 i64) (result i64) (local.get 0)"),
            "\"gcd\" is FUNCTION (i64 i64) -> (i64)"},
        new String[] {KERNELS.replace("(export \"gcd\")", "(export \"gcd2\")"), "\"gcd\" is missing"},
        new String[] {KERNELS.replace("(mut i32) (i32.const 0)", "(mut i64) (i64.const 0)"), "\"count\" is GLOBAL"},
        new String[] {KERNELS.replace("(memory (export \"memory\") 1)", "(memory 1) (table (export \"memory\") 1 funcref)"),
            "\"memory\" is TABLE"});
    for (int i = 0; i < swaps.size(); i++) {
      Path other = dir.resolve("other" + i + ".wat");
      Files.writeString(other, swaps.get(i)[0]);
      ModuleBuild.Roots otherRoots = new ModuleBuild.Roots(dir.resolve("src" + i), dir.resolve("res" + i),
          dir.resolve("stamps" + i));
      ModuleBuild.run(ModuleBuildTest.settings(other, "gen.Kernels"), otherRoots);
      try (URLClassLoader loader = new URLClassLoader(
          new URL[] {classes.toUri().toURL(), otherRoots.resources().toUri().toURL()}, getClass().getClassLoader())) {
        Class<?> swapped = loader.loadClass("gen.Kernels");
        InvocationTargetException refused = assertThrows(InvocationTargetException.class,
            () -> swapped.getMethod("module").invoke(null));
        dev.kiln.runtime.KilnException cause = assertInstanceOf(dev.kiln.runtime.KilnException.class, refused.getCause());
        assertTrue(cause.getMessage().startsWith("the artifact packed for Kernels does not fit it: export ")
            && cause.getMessage().contains(swaps.get(i)[1]), cause.getMessage());
      }
    }
  }

  private static Object call(Object target, String name, Object... args) throws Exception {
    Method method = Arrays.stream(target.getClass().getMethods())
        .filter(m -> m.getName().equals(name) && m.getParameterCount() == args.length).findFirst()
        .orElseThrow(() -> new AssertionError("no method " + name + " in\n"
            + Arrays.stream(target.getClass().getMethods()).map(Method::getName).sorted().toList()));
    return method.invoke(target, args);
  }

  /** Compiles {@code source} against the test's class path, with every lint and doclint check as an error. */
  private Path compile(Path... sources) throws Exception {
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isEmpty()).reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
    java.io.StringWriter output = new java.io.StringWriter();
    boolean ok = javac.getTask(output, null, null, List.of("-d", classes.toString(), "-cp", classPath,
            "--release", "25", "-Xlint:all,-processing,-classfile", "-Werror", "-Xdoclint:all/protected"), null,
        javac.getStandardFileManager(null, null, null).getJavaFileObjects(sources)).call();
    assertTrue(ok, () -> output + "\n" + readQuietly(sources[0]));
    return classes;
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
