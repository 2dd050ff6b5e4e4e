package dev.kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/jvm-ab}, the whole-process A/B of JVM settings: run against a stand-in launcher (a
 * shell script that logs the JAVA_TOOL_OPTIONS and _JAVA_OPTIONS each compile got and writes an
 * artifact), it hands each variant's flags to the launcher in _JAVA_OPTIONS (which overrides the
 * launcher's own) and no other flags (not even the caller's JAVA_TOOL_OPTIONS), rotates the order
 * every round, names a variant whose JVM refuses the AOT cache, stops when a variant's artifact
 * differs from the first run's or a run fails (with the run's last error lines), and refuses flags
 * with quotes, which _JAVA_OPTIONS would pass to the JVM as they are.
 */
class JvmAbTest {
  private static final String STAND_IN = """
      #!/bin/sh
      [ "$1" = --version ] && exit 0
      echo "${JAVA_TOOL_OPTIONS-none} | ${_JAVA_OPTIONS-none}" >> "$JVM_AB_LOG"
      case "${_JAVA_OPTIONS-}" in *-Dfail*) echo "Unrecognized option: -Dfail" >&2; exit 3 ;; esac
      case "${_JAVA_OPTIONS-}" in *-Dno-cache*) echo "[0.006s][error][aot] Unable to map shared spaces" >&2 ;; esac
      # kiln compile IN -o OUT --target ISA: the artifact is the same for every variant unless asked
      if [ "$JVM_AB_ARTIFACT" = flags ]; then printf '%s' "${_JAVA_OPTIONS-none}" > "$4"; else printf same > "$4"; fi
      """;

  @TempDir Path scratch;
  private Path launcher;
  private Path log;

  @BeforeEach
  void standIn() throws IOException {
    launcher = scratch.resolve("kiln");
    Files.writeString(launcher, STAND_IN);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    log = scratch.resolve("runs.log");
  }

  @Test
  void eachVariantGetsItsFlagsAndTheOrderRotatesEveryRound() throws Exception {
    Result r = jvmAb("same", "--rounds", "3", "--", "", "-Da=1 -Xss8m");
    assertEquals(0, r.exit(), r.output());
    String a = "none | -Xlog:aot=error:stderr";
    String b = "none | -Da=1 -Xss8m -Xlog:aot=error:stderr";
    assertEquals(List.of(a, b, b, a, a, b), Files.readAllLines(log));
    assertTrue(r.output().lines().noneMatch(l -> l.contains("refuses")), r.output());
    assertEquals(6, r.output().lines().filter(l -> l.startsWith("round ")).count(), r.output());
    assertTrue(r.output().lines().anyMatch(l -> l.startsWith("[-Da=1 -Xss8m] / []: cpu ")), r.output());
  }

  @Test
  void anArtifactThatDependsOnTheFlagsStopsTheRun() throws Exception {
    Result r = jvmAb("flags", "--rounds", "2", "--", "", "-Da=1");
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("[-Da=1] wrote another artifact than the first run"), r.output());
    assertEquals(2, Files.readAllLines(log).size(), "stopped at the first differing run");
  }

  @Test
  void aVariantWhoseJvmRefusesTheAotCacheIsNamedOnce() throws Exception {
    Result r = jvmAb("same", "--rounds", "2", "--", "", "-Dno-cache=1");
    assertEquals(0, r.exit(), r.output());
    assertEquals(List.of("# [-Dno-cache=1]: the JVM refuses the launcher's AOT cache with these flags, so these"
        + " runs also load every class (-Xlog:aot for why)"),
        r.output().lines().filter(l -> l.contains("refuses")).toList(), r.output());
  }

  @Test
  void aFailedRunStopsTheRunNamingItsVariant() throws Exception {
    Result r = jvmAb("same", "--rounds", "2", "--", "", "-Dfail=yes");
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("[-Dfail=yes] exited with 3: Unrecognized option: -Dfail"), r.output());
  }

  @Test
  void flagsWithQuotesAreRefusedBeforeAnyRun() throws Exception {
    Result r = jvmAb("same", "--", "", "-Dname='a b'");
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("without quotes"), r.output());
    assertTrue(Files.notExists(log), "no run");
  }

  private record Result(int exit, String output) {}

  private Result jvmAb(String artifact, String... args) throws IOException, InterruptedException {
    Path module = scratch.resolve("m.wasm");
    Files.write(module, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    List<String> command = new ArrayList<>(List.of("python3", "jvm-ab", "--kiln", launcher.toString(),
        "--module", module.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("JAVA_TOOL_OPTIONS", "-Dinherited=yes"); // what the empty variant must not pass on
    pb.environment().put("JVM_AB_LOG", log.toString());
    pb.environment().put("JVM_AB_ARTIFACT", artifact);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes());
    return new Result(p.waitFor(), output);
  }
}
