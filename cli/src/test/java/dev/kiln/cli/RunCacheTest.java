package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run FILE.wasm} through the compiled-module cache, {@code --no-cache} and {@code kiln
 * cache}: the right result from a miss, a hit, a damaged entry, an entry planted by someone who can
 * write the cache, a cache directory someone else could write (one warning line, nothing stored) and
 * two processes compiling the same module at once. Every test names its own cache directory ({@code --cache-dir}, or {@code
 * XDG_CACHE_HOME} for the child processes), never the user's.
 */
class RunCacheTest {
  private static final String HELLO = "../examples/hello.wasm";
  private static final String FAC_20 = "2432902008176640000";

  @TempDir Path dir;

  private Run runFac(String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--cache-dir", dir.toString()));
    args.addAll(List.of(extra));
    args.addAll(List.of(HELLO, "--invoke", "fac", "20"));
    return kiln(args.toArray(String[]::new));
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".cwasm")).toList();
    }
  }

  @Test
  void aMissStoresAHitRunsTheStoredEntryAndNoCacheStoresNothing() throws IOException {
    Run first = runFac();
    assertEquals(new Run(0, FAC_20 + "\n", ""), first);
    assertEquals(1, entries().size());
    Run second = runFac();
    assertEquals(first, second);

    Path other = dir.resolve("other");
    Run uncached = kiln("run", "--no-cache", "--cache-dir", other.toString(), HELLO, "--invoke", "fac", "20");
    assertEquals(first, uncached);
    assertTrue(Files.notExists(other));

    // A different setting (epoch checks compiled in for --timeout) is a second entry.
    assertEquals(0, runFac("--timeout", "1m").exit());
    assertEquals(2, entries().size());

    Run stats = kiln("cache", "--cache-dir", dir.toString(), "stats");
    assertEquals(0, stats.exit(), stats.err());
    assertTrue(stats.out().startsWith(dir + ": 2 compiled modules, "), stats.out());
    assertEquals(new Run(0, dir + ": deleted 2 files\n", ""), kiln("cache", "--cache-dir", dir.toString(), "clean"));
    assertEquals(List.of(), entries());
  }

  @Test
  void aCorruptedEntryIsReplacedAndTheRunIsRight() throws IOException {
    assertEquals(0, runFac().exit());
    Path entry = entries().getFirst();
    byte[] bytes = Files.readAllBytes(entry);
    byte[] good = bytes.clone();
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(entry, bytes);
    assertEquals(new Run(0, FAC_20 + "\n", ""), runFac());
    // The load's own check (in private pages) found the damage: the entry was compiled again.
    assertArrayEquals(good, Files.readAllBytes(entry));
    Files.write(entry, new byte[] {0, 'a', 's', 'm'});
    assertEquals(new Run(0, FAC_20 + "\n", ""), runFac());
    assertEquals(1, entries().size());
  }

  @Test
  void aCacheThatCannotBeWrittenIsOneWarningAndTheRunGoesOn() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    Run run = kiln("run", "--cache-dir", notADirectory.toString(), HELLO, "--invoke", "fac", "20");
    assertEquals(0, run.exit(), run.err());
    assertEquals(FAC_20 + "\n", run.out());
    assertTrue(run.err().startsWith("warning: compiled-module cache " + notADirectory + ": cannot store ("
        + notADirectory + ": not a directory)"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }

  @Test
  void statsAndCleanOfAFileInPlaceOfTheCacheAreOneErrorNotAnEmptyCache() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    for (String action : List.of("stats", "clean")) {
      Run run = kiln("cache", "--cache-dir", notADirectory.toString(), action);
      assertEquals(new Run(1, "", "error: compiled-module cache: " + notADirectory + ": not a directory\n"), run);
    }
    assertEquals("x", Files.readString(notADirectory), "clean deleted nothing");
    Run below = kiln("cache", "--cache-dir", notADirectory.resolve("sub").toString(), "stats");
    assertEquals(new Run(1, "", "error: compiled-module cache: " + notADirectory + ": not a directory\n"), below);
  }

  @Test
  void anInvalidModuleIsOneLineAndStoresNothing() throws IOException {
    Path bad = Files.write(dir.resolve("bad.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 99});
    Run run = kiln("run", "--cache-dir", dir.resolve("c").toString(), bad.toString());
    assertEquals(1, run.exit());
    assertTrue(run.err().startsWith("error: " + bad + ": malformed: "), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(Files.notExists(dir.resolve("c")));
  }

  /**
   * An attacker who can write the cache plants their own code under the name of the victim's
   * module: a genuine entry, tagged by this very user's key, of a module whose {@code fac} returns
   * 666, renamed to the victim's entry. The victim's next run must refuse it and print fac(20).
   */
  @Test
  void anotherModulesEntryPlantedUnderTheVictimsNameIsRefusedAndTheVictimsCodeRuns() throws Exception {
    assertEquals(0, runFac().exit());
    Path victimEntry = entries().getFirst();
    Path evilWat = Files.writeString(dir.resolve("evil.wat"),
        "(module (func (export \"fac\") (param i64) (result i64) (i64.const 666)))");
    Path attackerCache = dir.resolve("attacker");
    assertEquals(new Run(0, "666\n", ""), kiln("run", "--cache-dir", attackerCache.toString(), evilWat.toString(),
        "--invoke", "fac", "20"));
    Path planted;
    try (Stream<Path> files = Files.list(attackerCache)) {
      planted = files.filter(p -> p.toString().endsWith(".cwasm")).findFirst().orElseThrow();
    }
    Files.copy(planted, victimEntry, StandardCopyOption.REPLACE_EXISTING);

    assertEquals(new Run(0, FAC_20 + "\n", ""), runFac());
    assertFalse(Arrays.equals(Files.readAllBytes(planted), Files.readAllBytes(victimEntry)), "replaced");
    assertEquals(new Run(0, FAC_20 + "\n", ""), runFac());
  }

  /** The warning a run prints for a cache it does not use, naming what and why. */
  private static String refused(Path cache, Path named, String reason) {
    return "warning: compiled-module cache " + cache + ": not used, someone else could have written it (" + named
        + ": " + reason + "); running from memory\n";
  }

  private Run runFacIn(Path cache) {
    return kiln("run", "--cache-dir", cache.toString(), HELLO, "--invoke", "fac", "20");
  }

  @Test
  void aCacheDirectoryOthersCanWriteIsOneWarningAndNothingIsStored() throws IOException {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertEquals(new Run(0, FAC_20 + "\n", refused(shared, shared, "writable by group or others (mode 0777)")),
        runFacIn(shared));
    try (Stream<Path> files = Files.list(shared)) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void aCacheDirectoryOwnedBySomeoneElseIsOneWarning() throws IOException {
    assumeTrue(uid(Path.of("/proc/self")) == 0, "giving a directory to another user needs root");
    Path theirs = Files.createDirectory(dir.resolve("theirs"));
    Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    assertEquals(new Run(0, FAC_20 + "\n", refused(theirs, theirs, "owned by user " + uid(theirs)
        + ", not by this user (0)")), runFacIn(theirs));
    try (Stream<Path> files = Files.list(theirs)) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void aCacheDirectoryThatIsASymbolicLinkIntoAWorldWritablePlaceIsOneWarning() throws IOException {
    Path world = Files.createDirectory(dir.resolve("world"));
    Files.setPosixFilePermissions(world, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path link = Files.createSymbolicLink(dir.resolve("cache"), world);
    assertEquals(new Run(0, FAC_20 + "\n", refused(link, world, "writable by group or others (mode 0777)")),
        runFacIn(link));
    try (Stream<Path> files = Files.list(world)) {
      assertEquals(List.of(), files.toList());
    }
  }

  /** A key others can read is no secret: one warning naming it, the run goes on, nothing is stored. */
  @Test
  void aCacheKeyOthersCanReadIsOneWarningAndTheCacheIsBypassed() throws Exception {
    Path config = Files.createDirectories(dir.resolve("config").resolve("kiln"));
    Path key = Files.write(config.resolve("cache.key"), new byte[32]);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Path cache = dir.resolve("cache");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "run", "--cache-dir", cache.toString(), HELLO, "--invoke", "fac", "20");
    builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kiln did not finish");
    assertEquals(new Run(0, FAC_20 + "\n", refused(cache, key, "readable or writable by group or others (mode 0644)")),
        new Run(p.exitValue(), out, err));
    assertTrue(Files.notExists(cache), "nothing stored");
  }

  private static int uid(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid");
  }

  @Test
  void twoProcessesCompilingTheSameModuleAtOnceBothRunIt() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ProcessBuilder builder = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
          "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "run", HELLO, "--invoke", "fac", "20");
      builder.environment().put("XDG_CACHE_HOME", dir.toString());
      processes.add(builder.redirectErrorStream(true).start());
    }
    for (Process p : processes) {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "a kiln process did not finish");
      assertEquals(0, p.exitValue(), output);
      assertEquals(FAC_20 + "\n", output);
    }
    try (Stream<Path> files = Files.list(dir.resolve("kiln"))) {
      List<Path> left = files.toList();
      assertEquals(1, left.size(), "one entry, no temporary file left: " + left);
    }
    assertEquals(new Run(0, FAC_20 + "\n", ""), kiln("run", "--cache-dir", dir.resolve("kiln").toString(), HELLO,
        "--invoke", "fac", "20"));
  }
}
