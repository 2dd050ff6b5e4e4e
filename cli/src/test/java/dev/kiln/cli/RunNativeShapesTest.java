package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many FFM shapes a fresh {@code kiln run} process links, read from the classes the JDK spins
 * for them ({@code -Xlog:class+load}: one {@code DowncallStub} class per downcall shape, one {@code
 * UpcallStub} class per upcall shape). Each shape's first linking costs a cold JVM 5-10 ms, so a run
 * links as few as it can: every C function and the entry into generated code share one plain
 * downcall shape ({@code LibcCall}; WASI's variadic functions through {@code VariadicEntry}), and
 * every host function and table builtin one upcall shape ({@code UpcallShape}). One more downcall
 * shape is linked at engine start on purpose ({@code CallPathClasses}, issue 35): the one the direct
 * call and the stack-pointer reader share ({@code PlainCall}, which captures no errno), because a
 * class first initialised near the end of a thread's stack fails for the JVM's life (JLS 12.4.2) and
 * both are on the call and close paths. A WASI run without a preopen
 * binds no variadic function at all: it once probed the kernel for a path resolution no guest
 * without a directory can use, through a second shape.
 */
class RunNativeShapesTest {
  private static final String DOWNCALL = "jdk.internal.foreign.abi.DowncallStub/";
  private static final String UPCALL = "jdk.internal.foreign.abi.UpcallStub/";
  /** {@code LibcCall}'s shape and {@code PlainCall}'s (above). */
  private static final long DOWNCALL_SHAPES = 2;
  private static final String VARIADIC_ENTRY = "dev.kiln.loader.sys.VariadicEntry ";

  @TempDir Path dir;

  @BeforeEach
  void nativeHostOnly() {
    Assumptions.assumeTrue(Target.host().isPresent(), "a host Kiln runs no code on");
  }

  /** The exit status, output and the classes loaded of {@code kiln run ARGS} in a child JVM. */
  private record Child(int exit, String out, String err, List<String> classes) {
    long count(String prefix) {
      return classes.stream().filter(line -> line.contains(prefix)).count();
    }
  }

  private Child run(String... runArguments) throws IOException, InterruptedException {
    Path log = dir.resolve("classes.log");
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Xss16m", "-Xlog:class+load=info:file=" + log,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run"));
    command.addAll(List.of(runArguments));
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kiln run did not finish in 120 s: " + Files.readString(err));
    }
    return new Child(p.exitValue(), Files.readString(out), Files.readString(err), Files.readAllLines(log));
  }

  private String cat() {
    Path artifact = dir.resolve("cat.cwasm");
    assertEquals(0, kiln("compile", "../examples/cat.wasm", "-o", artifact.toString()).exit());
    return artifact.toString();
  }

  /** {@code kiln run hello.cwasm --invoke fac 20}, which must succeed. */
  private Child helloFac20() throws IOException, InterruptedException {
    Path artifact = dir.resolve("hello.cwasm");
    assertEquals(0, kiln("compile", "../examples/hello.wasm", "-o", artifact.toString()).exit());
    Child child = run(artifact.toString(), "--invoke", "fac", "20");
    assertEquals(0, child.exit(), child.err());
    return child;
  }

  @Test
  void anExportCallLinksOnlyTheTwoDowncallShapes() throws Exception {
    Child child = helloFac20();
    assertEquals("2432902008176640000\n", child.out());
    assertEquals(DOWNCALL_SHAPES, child.count(DOWNCALL), "downcall stub classes");
  }

  /**
   * Nor does the run spin a class for Kiln's own code: a pattern switch's {@code invokedynamic}
   * generates a {@code $$TypeSwitch} class at its first run and a record's generated {@code equals}
   * or {@code hashCode} links through {@code ObjectMethods}, and the JDK's AOT cache keeps neither,
   * so each cost every fresh {@code kiln run} 0.35-2.5 ms (the module's types canonicalised at load,
   * the arguments and results converted and printed).
   */
  @Test
  void anExportCallSpinsNoClassOfKilnsOwn() throws Exception {
    assertEquals(List.of(), spunForKiln(helloFac20()), "type switches and record methods linked");
  }

  /**
   * Nor does a run of a module that hits the compiled-module cache, which also checks the entry's
   * HMAC-SHA256 tag without setting up the JCE: {@code javax.crypto.Mac} walked the provider list
   * to SunJCE and parsed the crypto policy, some 20 ms of CPU more than the SHA-256 digest the tag is
   * now made with ({@code HmacSha256}).
   */
  @Test
  void aCacheHitSpinsNoClassOfKilnsOwnAndSetsUpNoJce() throws Exception {
    String[] run = {"--cache-dir", dir.resolve("cache").toString(), "../examples/hello.wasm", "--invoke", "fac", "20"};
    assertEquals(0, run(run).exit(), "the run that fills the cache");
    Child hit = run(run);
    assertEquals(0, hit.exit(), hit.err());
    assertEquals("2432902008176640000\n", hit.out());
    assertEquals(List.of(), spunForKiln(hit), "type switches and record methods linked");
    // (the SUN provider that serves SHA-256 loads javax.crypto.KDFParameters for its entries: not the JCE)
    assertEquals(0, hit.count("] javax.crypto.Mac ") + hit.count("] javax.crypto.JceSecurity "), "the JCE set up");
  }

  /** The class-load lines of type switches of Kiln's code and of ObjectMethods (records' methods). */
  private static List<String> spunForKiln(Child child) {
    return child.classes().stream()
        .filter(line -> line.contains("] dev.kiln.") && line.contains("$$TypeSwitch/")
            || line.contains("] java.lang.runtime.ObjectMethods "))
        .toList();
  }

  @Test
  void aWasiRunWithoutADirectoryLinksOneShapeOfEach() throws Exception {
    // cat prints its first argument, then finds no preopen to open its second under: exit 101.
    Child child = run(cat(), "hello", "README.md");
    assertEquals(101, child.exit(), child.err());
    assertEquals("hello\n", child.out());
    assertEquals(DOWNCALL_SHAPES, child.count(DOWNCALL), "downcall stub classes");
    assertEquals(1, child.count(UPCALL), "upcall stub classes");
    assertEquals(0, child.count(VARIADIC_ENTRY), "variadic functions bound");
  }

  /**
   * A WASI command that also grows, fills, copies and initialises a table: the host functions and
   * the four table builtins share one upcall shape ({@code UpcallShape}); the builtins alone had
   * three, some 10 ms of a cold JVM's instantiation.
   */
  @Test
  void hostFunctionsAndTableBuiltinsShareOneUpcallShape() throws Exception {
    Path wat = Files.writeString(dir.resolve("tables.wat"), """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "4\\0a")
          (table $t 1 funcref)
          (elem $e func $f)
          (func $f)
          (func (export "_start")
            (drop (table.grow $t (ref.null func) (i32.const 3)))
            (table.fill $t (i32.const 1) (ref.func $f) (i32.const 1))
            (table.copy $t $t (i32.const 2) (i32.const 1) (i32.const 1))
            (table.init $t $e (i32.const 3) (i32.const 0) (i32.const 1))
            ;; print the size (4) if slot 0 is still null and each builtin filled its slot (1-3)
            (if (i32.and
                  (i32.and (i32.eq (table.size $t) (i32.const 4)) (ref.is_null (table.get $t (i32.const 0))))
                  (i32.eqz (i32.or (i32.or (ref.is_null (table.get $t (i32.const 1)))
                                           (ref.is_null (table.get $t (i32.const 2))))
                                   (ref.is_null (table.get $t (i32.const 3))))))
              (then
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 2))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))))
        """);
    Path artifact = dir.resolve("tables.cwasm");
    assertEquals(0, kiln("compile", wat.toString(), "-o", artifact.toString()).exit());
    Child child = run(artifact.toString());
    assertEquals(0, child.exit(), child.err());
    assertEquals("4\n", child.out());
    assertEquals(1, child.count(UPCALL), "upcall stub classes");
    assertEquals(DOWNCALL_SHAPES, child.count(DOWNCALL), "downcall stub classes");
  }

  @Test
  void aWasiRunWithADirectoryLinksOneShapeOfEach() throws Exception {
    Path file = Files.writeString(dir.resolve("in.txt"), "abc\n");
    Child child = run("--dir=" + dir, cat(), "hello", file.getFileName().toString());
    assertEquals(4, child.exit(), "the file's length; " + child.err());
    assertEquals("hello\nabc\n", child.out());
    assertEquals(DOWNCALL_SHAPES, child.count(DOWNCALL), "downcall stub classes");
    assertEquals(1, child.count(UPCALL), "upcall stub classes");
    assertEquals(1, child.count(VARIADIC_ENTRY), "openat and syscall bound through VariadicEntry");
  }
}
