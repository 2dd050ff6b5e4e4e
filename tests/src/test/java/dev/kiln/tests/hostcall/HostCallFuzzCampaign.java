package dev.kiln.tests.hostcall;

import dev.kiln.artifact.Target;
import dev.kiln.wasi.Preopen;
import dev.kiln.wasi.WasiConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A fuzzing campaign: {@link HostCallFuzzer} sequences for a time budget, rotating over the guests
 * (the WASI functions over a canary-framed memory; compiled guests on x86-64 and AArch64 with 32-bit
 * and memory64 memories). Sequence {@code i} uses seed {@code seed + i} and a fresh guest and
 * directory, so a campaign started at a failing sequence's seed replays it first. A sequence ends
 * at its first finding; the campaign goes on to the next, up to {@value #MAX_FINDINGS} findings.
 *
 * <p>{@link HostCallFuzzTest} runs a short one; {@code main(SECONDS, [SEED])} a long one (from the
 * test class path: {@code scripts/fuzz-hostcalls}).
 */
final class HostCallFuzzCampaign {
  static final long DEFAULT_SEED = 0x686f7374L;
  private static final int MAX_FINDINGS = 20;
  private static final int CALLS_PER_SEQUENCE = 300;
  private static final int MEMORY = 64 * 1024;

  /** What a campaign did. */
  record Result(long calls, int sequences, String perGuest, List<String> findings) {
    String summary(long seed) {
      return String.format("host-call fuzz: %d calls in %d sequences from seed %d (%s), %d findings",
          calls, sequences, seed, perGuest, findings.size());
    }
  }

  private HostCallFuzzCampaign() {}

  /** Fuzzes for {@code args[0]} seconds from seed {@code args[1]}; exits 1 with the findings. */
  public static void main(String[] args) throws IOException {
    long seconds = Long.parseLong(args[0]);
    long seed = args.length > 1 ? Long.parseLong(args[1]) : DEFAULT_SEED;
    Result result = run(seconds, seed);
    System.out.println(result.summary(seed));
    result.findings().forEach(System.out::println);
    System.exit(result.findings().isEmpty() ? 0 : 1);
  }

  /** The guests, picked by a sequence's seed. */
  private enum Kind { CANARY, X86_64_32, X86_64_64, AARCH64_32, AARCH64_64 }

  /** Runs sequences until {@code seconds} have passed (and each guest has had one). */
  static Result run(long seconds, long seed) throws IOException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long calls = 0;
    int sequences = 0;
    long[] perKind = new long[Kind.values().length];
    List<String> findings = new ArrayList<>();
    for (; (System.nanoTime() < deadline || sequences < Kind.values().length) && findings.size() < MAX_FINDINGS;
        sequences++) {
      long sequenceSeed = seed + sequences;
      Kind kind = Kind.values()[(int) Long.remainderUnsigned(sequenceSeed, Kind.values().length)];
      Path dir = Files.createTempDirectory("kiln-hostcall-fuzz");
      try {
        HostCallFuzzer.populate(dir);
        try (FuzzGuest guest = guest(kind, config(dir, sequenceSeed))) {
          HostCallFuzzer fuzzer = new HostCallFuzzer(guest, dir, sequenceSeed);
          try {
            fuzzer.run(CALLS_PER_SEQUENCE);
          } catch (AssertionError finding) {
            findings.add(finding.getMessage());
          } finally {
            calls += fuzzer.calls();
            perKind[kind.ordinal()] += fuzzer.calls();
          }
        }
      } finally {
        delete(dir);
      }
    }
    return new Result(calls, sequences, perKindText(perKind), findings);
  }

  private static String perKindText(long[] perKind) {
    StringBuilder out = new StringBuilder();
    for (Kind k : Kind.values()) {
      out.append(out.isEmpty() ? "" : ", ").append(k).append(' ').append(perKind[k.ordinal()]);
    }
    return out.toString();
  }

  private static FuzzGuest guest(Kind kind, WasiConfig config) throws IOException {
    return switch (kind) {
      case CANARY -> new CanaryGuest(MEMORY, config);
      case X86_64_32 -> new CompiledGuest(Target.X86_64, false, config);
      case X86_64_64 -> new CompiledGuest(Target.X86_64, true, config);
      case AARCH64_32 -> new CompiledGuest(Target.AARCH64, false, config);
      case AARCH64_64 -> new CompiledGuest(Target.AARCH64, true, config);
    };
  }

  /**
   * The directory preopened as ".", stdin of random bytes, stdout and stderr discarded, and room
   * for only a few descriptors, so that sequences reach the open-descriptor limit (EMFILE) and
   * close their way back under it.
   */
  private static WasiConfig config(Path dir, long seed) {
    byte[] stdin = new byte[16 * 1024];
    new SplittableRandom(~seed).nextBytes(stdin);
    WasiConfig.Builder config = WasiConfig.builder().args(HostCallFuzzer.ARGS)
        .stdin(new ByteArrayInputStream(stdin))
        .stdout(OutputStream.nullOutputStream()).stderr(OutputStream.nullOutputStream())
        .random(new SplittableRandom(seed)).preopen(new Preopen(dir, "."))
        .maxOpenFiles(HostCallFuzzer.MAX_OPEN_FILES);
    for (String pair : HostCallFuzzer.ENV) {
      int eq = pair.indexOf('=');
      config.env(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return config.build();
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
