package dev.kiln.cli.wast;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The proposals whose tests sit under {@code proposals/NAME/} in the spec test suite, with the
 * wast2json flags that enable them. The flags are those wabt 1.0.32 uses for the same files (its
 * {@code test/spec/NAME/*.txt}, the {@code ARGS} lines), as the suite's {@code convert.sh} records;
 * core tests need none (wabt's defaults are MVP plus the finished proposals: SIMD, bulk memory,
 * reference types, multi-value, saturating conversions, sign extension, mutable globals).
 */
enum Proposal {
  TAIL_CALL("tail-call", "--enable-tail-call"),
  EXTENDED_CONST("extended-const", "--enable-extended-const"),
  MULTI_MEMORY("multi-memory", "--enable-multi-memory"),
  MEMORY64("memory64", "--enable-memory64");

  private final String directory;
  private final String flag;

  Proposal(String directory, String flag) {
    this.directory = directory;
    this.flag = flag;
  }

  /** The folder under {@code proposals/}. */
  String directory() {
    return directory;
  }

  /** The proposal a script belongs to: the folder after a {@code proposals} folder in its path. */
  static Optional<Proposal> of(Path wast) {
    Path parent = wast.toAbsolutePath().normalize().getParent();
    if (parent == null || parent.getParent() == null || parent.getParent().getFileName() == null
        || !parent.getParent().getFileName().toString().equals("proposals")) {
      return Optional.empty();
    }
    String name = parent.getFileName().toString();
    for (Proposal p : values()) {
      if (p.directory.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The wast2json feature flags for a script. */
  static List<String> wast2jsonFlags(Path wast) {
    List<String> flags = new ArrayList<>();
    Optional<Proposal> proposal = of(wast);
    proposal.ifPresent(p -> flags.add(p.flag));
    // wabt 1.0.32 converts memory64/binary.wast with reference types off (test/spec/memory64/
    // binary.txt): the file predates reference types and some of its malformed cases decode
    // differently with them on.
    if (proposal.equals(Optional.of(MEMORY64)) && wast.getFileName().toString().equals("binary.wast")) {
      flags.add("--disable-reference-types");
    }
    return List.copyOf(flags);
  }
}
